import Foundation
import Testing
@testable import ScoreKitMetrics

/// log of a 2-D Gaussian density with the inverse and determinant written out by hand.
private func logDensity2D(_ x: [Double], mean m: [Double], covariance s: [[Double]]) -> Double {
    let det = s[0][0] * s[1][1] - s[0][1] * s[1][0]
    let inv = [[s[1][1] / det, -s[0][1] / det], [-s[1][0] / det, s[0][0] / det]]
    let q = [x[0] - m[0], x[1] - m[1]]
    let quad = q[0] * (inv[0][0] * q[0] + inv[0][1] * q[1]) + q[1] * (inv[1][0] * q[0] + inv[1][1] * q[1])
    return -0.5 * quad - 0.5 * Foundation.log(det) - Foundation.log(2 * Double.pi)
}

@Suite struct GaussianMixtureLikelihoodTests {
    let weights = [0.3, 0.7]
    let means = [[0.0, 1.0], [2.0, -1.0]]
    let covariances = [[[1.0, 0.4], [0.4, 0.5]], [[2.0, -0.6], [-0.6, 1.5]]]

    func mixture<T: MatrixScalar>(_: T.Type) throws -> GaussianMixtureParameters<T> {
        try GaussianMixtureParameters(
            weights: weights.map { T($0) }, means: Matrix(rowArrays: means).converted(),
            covariances: covariances.map { Matrix<Double>(rowArrays: $0).converted() })
    }

    @Test func matchesTheDensityEvaluatedDirectly() throws {
        let x = gaussianSample(25, 2, seed: 40, scale: 2, as: Double.self)
        let expected = -points(x).reduce(0.0) { acc, p in
            acc + Foundation.log((0..<2).reduce(0.0) { $0 + weights[$1] * Foundation.exp(logDensity2D(p, mean: means[$1], covariance: covariances[$1])) })
        } / 25
        #expect(relativeError(try Metrics.gaussianMixtureNLL(x, mixture: mixture(Double.self)), expected) < 1e-12)
        let nllFloat = try Metrics.gaussianMixtureNLL(x.converted(to: Float.self), mixture: mixture(Float.self))
        #expect(relativeError(nllFloat, expected) < 1e-5)
    }

    @Test func farSamplesGiveLargeFiniteValues() throws {
        // exp(log density) underflows to 0 here; log-sum-exp keeps the exact value.
        let x = Matrix<Double>(rowArrays: [[300, -200]])
        let logs = (0..<2).map { Foundation.log(weights[$0]) + logDensity2D([300, -200], mean: means[$0], covariance: covariances[$0]) }
        let top = logs.max()!
        let expected = -(top + Foundation.log(logs.reduce(0.0) { $0 + Foundation.exp($1 - top) }))
        let nll = try Metrics.gaussianMixtureNLL(x, mixture: mixture(Double.self))
        #expect(nll.isFinite && nll > 1e4)
        #expect(relativeError(nll, expected) < 1e-12)
    }

    @Test func invalidParametersThrow() throws {
        let means = Matrix<Double>(rowArrays: [[0, 0]])
        #expect(throws: MetricsError.invalidMixture("covariance 0 is not positive definite")) {
            let m = try GaussianMixtureParameters(weights: [1], means: means, covariances: [Matrix(rowArrays: [[1, 2], [2, 1]])])
            return try Metrics.gaussianMixtureNLL(Matrix<Double>(rowArrays: [[0, 0]]), mixture: m)
        }
        #expect(throws: MetricsError.self) {
            try GaussianMixtureParameters(weights: [0.5], means: means, covariances: [.identity(2)])
        }
        #expect(throws: MetricsError.self) {
            try GaussianMixtureParameters(weights: [1], means: means, covariances: [.identity(3)])
        }
        #expect(throws: MetricsError.dimensionMismatch(what: "samples", expected: 2, found: 3)) {
            try Metrics.gaussianMixtureNLL(Matrix<Double>(rowArrays: [[0, 0, 0]]), mixture: mixture(Double.self))
        }
    }
}
