import Testing
@testable import ScoreKitMetrics

/// MetricsReport against numpy/scipy on the same points (scripts/fixtures/make_metrics_fixtures.py):
/// an independent implementation of every definition, with scipy's general `sqrtm` for FD and
/// `multivariate_normal.logpdf` for the mixture.
@Suite struct ScipyReferenceTests {
    @Test func reportMatchesScipy() throws {
        let r = ScipyReference.self
        let mixture = try GaussianMixtureParameters(weights: r.weights, means: r.means, covariances: r.covariances)
        let report = try MetricsReport.evaluate(samples: r.samples, reference: r.reference, train: r.train, mixture: mixture)
        #expect(abs(report.mmd - r.mmd) < 1e-12)
        #expect(relativeError(report.energyDistance, r.energyDistance) < 1e-12)
        #expect(relativeError(report.fd, r.fd) < 1e-9)
        #expect(report.precision == r.precision && report.recall == r.recall)
        #expect(relativeError(try #require(report.nllGMM), r.nllGMM) < 1e-12)
        #expect(report.memorization == r.memorization)
        #expect(relativeError(try #require(report.nnDistance), r.nnDistance) < 1e-12)
    }
}
