import Foundation
import Testing
import ScoreKitDenoisers

@Suite("Gaussian mixture denoiser")
struct GaussianMixtureTests {
    @Test func ring8MatchesNumpy() throws {
        let fixture = try Ring8Fixture.load()
        func check<T: MatrixScalar>(_: T.Type, tolerance: Double) throws {
            let model = try fixture.mixture(T.self)
            for c in fixture.cases {
                let x = Matrix<T>(fixture.queries)
                let (denoised, logDensity) = try model.denoiseWithLogDensity(x, sigma: T(c.sigma))
                #expect(maxDifference(denoised.doubleRows, c.gmmDenoised) < tolerance)
                #expect(maxDifference(try model.denoise(x, sigma: T(c.sigma)).doubleRows, c.gmmDenoised) < tolerance)
                for (value, expected) in zip(try model.logDensity(x, sigma: T(c.sigma)) + logDensity, c.gmmLogDensity + c.gmmLogDensity) {
                    #expect(abs(Double(value) - expected) < tolerance * max(1, abs(expected)))
                }
            }
        }
        try check(Double.self, tolerance: 1e-12)
        try check(Float.self, tolerance: 2e-4)
    }

    @Test func oneComponentEqualsTheGaussian() throws {
        let covariance = Matrix<Double>(GaussianTests.covariance)
        let mixture = try GaussianMixtureDenoiser(weights: [1], means: Matrix(row: GaussianTests.mean), covariances: [covariance])
        let gaussian = try GaussianDenoiser(mean: GaussianTests.mean, covariance: covariance)
        let x = Matrix<Double>(GaussianTests.queries)
        for sigma in [0.1, 1.0, 20.0] {
            #expect(maxDifference(try mixture.denoise(x, sigma: sigma).doubleRows, try gaussian.denoise(x, sigma: sigma).doubleRows) < 1e-13)
            #expect(maxDifference(try mixture.logDensity(x, sigma: sigma), try gaussian.logDensity(x, sigma: sigma)) < 1e-12)
        }
    }

    /// Components with covariance 1e-12 I around the training points: the mixture tends to the delta mixture.
    @Test func tinyCovariancesApproachTheEmpiricalDenoiser() throws {
        let points = EmpiricalTests.data, weights = EmpiricalTests.weights
        let total = weights.reduce(0, +)
        let mixture = try GaussianMixtureDenoiser(weights: weights.map { $0 / total }, means: Matrix(points),
                                                  covariances: Array(repeating: Matrix<Double>.identity(5) * 1e-12, count: points.count))
        let empirical = try EmpiricalDenoiser(data: Matrix<Double>(points), weights: weights)
        let x = Matrix<Double>(EmpiricalTests.queries)
        for sigma in [0.3, 1.0, 5.0] {
            let a = try mixture.denoiseWithLogDensity(x, sigma: sigma), b = try empirical.denoiseWithLogDensity(x, sigma: sigma)
            #expect(maxDifference(a.denoised.doubleRows, b.denoised.doubleRows) < 1e-9)
            #expect(maxDifference(a.logDensity, b.logDensity) < 1e-9)
        }
    }

    /// Draws n points from Σ w_k N(m_k, L_k L_kᵀ) (2-D, L lower triangular).
    static func sample(_ n: Int, weights: [Double], means: [[Double]], factors: [[[Double]]], using g: inout SplitMix64) -> [[Double]] {
        (0..<n).map { _ in
            let u = Double.random(in: 0..<1, using: &g)
            var k = 0, cumulative = weights[0]
            while u >= cumulative && k < weights.count - 1 { k += 1; cumulative += weights[k] }
            let z = [g.normal(), g.normal()]
            return (0..<2).map { i in means[k][i] + factors[k][i][0] * z[0] + factors[k][i][1] * z[1] }
        }
    }

    func checkEM<T: MatrixScalar>(_: T.Type, tolerance: Double) throws {
        let weights = [0.5, 0.3, 0.2]
        let means = [[-4.0, 0.0], [3.0, 3.0], [2.0, -4.0]]
        let factors = [[[1.0, 0.0], [0.5, 0.6]], [[0.4, 0.0], [0.0, 1.2]], [[0.8, 0.0], [-0.6, 0.5]]]
        var g = SplitMix64(seed: 31)
        let data = Self.sample(4000, weights: weights, means: means, factors: factors, using: &g)
        var seed = SplitMix64(seed: 32)
        let (model, report) = try GaussianMixtureDenoiser<T>.fit(Matrix(data), components: 3, using: &seed)
        #expect(report.converged)
        #expect(report.history.count == report.iterations + 1)
        #expect(abs(Double(report.logLikelihood) - Double(report.history.last ?? .nan)) == 0)
        for (previous, next) in zip(report.history, report.history.dropFirst()) {
            #expect(Double(next) >= Double(previous) - tolerance)
        }
        // Match each true component with the fitted one whose mean is nearest.
        let fitted = model.means.doubleRows
        for k in 0..<3 {
            let j = try #require((0..<3).min { maxDifference(fitted[$0], means[k]) < maxDifference(fitted[$1], means[k]) })
            #expect(abs(Double(model.weights[j]) - weights[k]) < 0.03)
            #expect(maxDifference(fitted[j], means[k]) < 0.1)
            let covariance = Reference.matmul(factors[k], Reference.transpose(factors[k]))
            #expect(maxDifference(model.covariances[j].doubleRows, covariance) < 0.15)
        }
        // The fitted mean log-likelihood is the mixture's log-density at σ → 0 averaged over the data.
        let atZero = try model.logDensity(Matrix(data), sigma: T(1e-4)).reduce(0.0) { $0 + Double($1) } / Double(data.count)
        #expect(abs(atZero - Double(report.logLikelihood)) < 1e-3)
    }

    @Test func emRecoversAKnownMixtureDouble() throws { try checkEM(Double.self, tolerance: 1e-10) }
    @Test func emRecoversAKnownMixtureFloat() throws { try checkEM(Float.self, tolerance: 1e-5) }

    @Test func emFitsTheRing() throws {
        let fixture = try Ring8Fixture.load()
        var g = SplitMix64(seed: 33)
        let (model, report) = try GaussianMixtureDenoiser<Double>.fit(Matrix(fixture.data), components: 8, using: &g)
        #expect(report.iterations >= 1)
        // The 8 fitted means sit on the ring of radius 2, one per true mode.
        for mean in fixture.gmm.means {
            #expect(model.means.doubleRows.contains { maxDifference($0, mean) < 0.05 })
        }
    }
}
