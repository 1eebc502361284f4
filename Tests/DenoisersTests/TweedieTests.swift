import Foundation
import Testing
import ScoreKitDenoisers

/// Tweedie's formula D(x; σ) = x + σ² ∇log p_σ(x) (papers.md §0.1), with the gradient of each
/// model's `logDensity` taken by central finite differences: ties `denoise` to `logDensity`.
@Suite("Tweedie's formula")
struct TweedieTests {
    func checkTweedie<M: DensityModel>(_ model: M, queries: [[Double]], sigmas: [Double]) throws where M.Scalar == Double {
        let d = model.dimension
        for sigma in sigmas {
            let h = 1e-4 * min(sigma, 1)
            // Rows 2(b d + j) and 2(b d + j) + 1 are x_b ± h e_j.
            var shifted = [[Double]]()
            for x in queries {
                for j in 0..<d {
                    var plus = x, minus = x
                    plus[j] += h; minus[j] -= h
                    shifted += [plus, minus]
                }
            }
            let logDensity = try model.logDensity(Matrix(shifted), sigma: sigma)
            let denoised = try model.denoise(Matrix(queries), sigma: sigma).doubleRows
            for (b, x) in queries.enumerated() {
                let tweedie = (0..<d).map { j in
                    x[j] + sigma * sigma * (logDensity[2 * (b * d + j)] - logDensity[2 * (b * d + j) + 1]) / (2 * h)
                }
                let scale = 1 + maxDifference(x, denoised[b])
                #expect(maxDifference(tweedie, denoised[b]) < 1e-6 * scale, "σ = \(sigma), row \(b)")
            }
        }
    }

    static let sigmas = [0.08, 0.5, 2.0, 15.0]

    @Test func empirical() throws {
        let model = try EmpiricalDenoiser<Double>(data: Matrix(EmpiricalTests.data), weights: EmpiricalTests.weights, chunkSize: 10)
        try checkTweedie(model, queries: EmpiricalTests.queries, sigmas: [0.3] + Self.sigmas.dropFirst())
    }

    @Test func gaussianFullLowRankAndIsotropic() throws {
        let full = try GaussianDenoiser<Double>(mean: GaussianTests.mean, covariance: Matrix(GaussianTests.covariance))
        for model in [full, try full.lowRank(2), try full.lowRank(0), try .isotropic(mean: GaussianTests.mean, variance: 0.3)] {
            try checkTweedie(model, queries: GaussianTests.queries, sigmas: Self.sigmas)
        }
    }

    @Test func gaussianMixture() throws {
        let fixture = try Ring8Fixture.load()
        try checkTweedie(try fixture.mixture(Double.self), queries: fixture.queries, sigmas: Self.sigmas)
        // A 3-component mixture in 6-D with full, different covariances.
        var g = SplitMix64(seed: 41)
        let covariances = (0..<3).map { k in
            Reference.fromEigen(Reference.randomOrthonormal(6, using: &g), (0..<6).map { 0.1 + Double((k + $0) % 4) })
        }
        let model = try GaussianMixtureDenoiser<Double>(weights: [0.2, 0.5, 0.3], means: Matrix(g.normalMatrix(3, 6, scale: 2)),
                                                        covariances: covariances.map { Matrix($0) })
        try checkTweedie(model, queries: GaussianTests.queries, sigmas: Self.sigmas)
    }
}
