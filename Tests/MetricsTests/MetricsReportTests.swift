import Foundation
import Testing
@testable import ScoreKitMetrics

@Suite struct MetricsReportTests {
    func mixture() throws -> GaussianMixtureParameters<Double> {
        try GaussianMixtureParameters(weights: [1], means: Matrix(rowArrays: [[0, 0, 0]]), covariances: [.identity(3)])
    }

    @Test func jsonKeysAreTheMetricNames() throws {
        let x = gaussianSample(20, 3, seed: 60, as: Double.self), y = gaussianSample(15, 3, seed: 61, as: Double.self)
        let encoder = JSONEncoder()
        let minimal = try JSONSerialization.jsonObject(with: encoder.encode(MetricsReport.evaluate(samples: x, reference: y)))
        #expect((minimal as? [String: Double]).map { Set($0.keys) } ==
                ["mmd", "energy_distance", "sliced_w2", "fd", "precision", "recall"])
        let full = try MetricsReport.evaluate(samples: x, reference: y, train: y, mixture: mixture())
        let object = try JSONSerialization.jsonObject(with: encoder.encode(full))
        #expect((object as? [String: Double]).map { Set($0.keys) } ==
                ["mmd", "energy_distance", "sliced_w2", "fd", "precision", "recall", "nll_gmm", "memorization", "nn_distance"])
        #expect(try JSONDecoder().decode(MetricsReport.self, from: encoder.encode(full)) == full)
    }

    @Test func sharedSweepsAgreeWithTheSeparateMetrics() throws {
        // 300 × 300 within-set sweeps span two tiles; the separate metrics sweep triangles.
        let x = gaussianSample(300, 3, seed: 62, as: Double.self), y = gaussianSample(280, 3, seed: 63, shift: 0.3, as: Double.self)
        let report = try MetricsReport.evaluate(samples: x, reference: y, seed: 5)
        #expect(abs(report.mmd - (try Metrics.maximumMeanDiscrepancy(x, y).value)) < 1e-12)
        #expect(relativeError(report.energyDistance, try Metrics.energyDistance(x, y)) < 1e-12)
        #expect(report.slicedW2 == (try Metrics.slicedWasserstein2(x, y, seed: 5)))
        #expect(report.fd == (try Metrics.frechetDistance(x, y)))
        let pr = try Metrics.precisionRecall(x, y)
        #expect(report.precision == pr.precision && report.recall == pr.recall)
    }

    @Test func twoPointsPerSetGiveFiniteMetrics() throws {
        let x = gaussianSample(2, 3, seed: 64, as: Float.self), y = gaussianSample(2, 3, seed: 65, shift: 1, as: Float.self)
        let mix = try GaussianMixtureParameters<Float>(weights: [1], means: Matrix(rows: 1, columns: 3), covariances: [.identity(3)])
        let r = try MetricsReport.evaluate(samples: x, reference: y, train: y, mixture: mix)
        let values = [r.mmd, r.energyDistance, r.slicedW2, r.fd, r.precision, r.recall, r.nllGMM, r.memorization, r.nnDistance]
        #expect(values.allSatisfy { $0?.isFinite == true })
    }

    @Test func badInputThrowsTypedErrors() throws {
        let x = gaussianSample(5, 3, seed: 66, as: Double.self)
        #expect(throws: MetricsError.tooFewSamples(what: "samples", count: 1, required: 2)) {
            try MetricsReport.evaluate(samples: x.rows(0..<1), reference: x)
        }
        #expect(throws: MetricsError.dimensionMismatch(what: "training set", expected: 3, found: 2)) {
            try MetricsReport.evaluate(samples: x, reference: x, train: gaussianSample(5, 2, seed: 67, as: Double.self))
        }
        let flat = try GaussianMixtureParameters<Double>(weights: [1], means: Matrix(rows: 1, columns: 2), covariances: [.identity(2)])
        #expect(throws: MetricsError.dimensionMismatch(what: "samples", expected: 2, found: 3)) {
            try MetricsReport.evaluate(samples: x, reference: x, mixture: flat)
        }
        #expect(MetricsError.tooFewSamples(what: "samples", count: 1, required: 2).description ==
                "too few samples: samples has 1 point, at least 2 needed")
    }
}
