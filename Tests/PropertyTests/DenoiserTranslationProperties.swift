import PropertyBased
import ScoreKit
import Testing

/// Translation equivariance of the exact denoisers: the posterior mean of data shifted by c,
/// at a point shifted by c, is the shifted posterior mean, `D_{data+c}(x + c; σ) = D_data(x; σ) + c`,
/// because the noise model x = x₀ + σε commutes with translation. Each side is computed from
/// scratch (the shifted model is built on shifted parameters), so an error in how a denoiser
/// centres its data, or in a mean term, shows up as a difference proportional to c.
@Suite struct DenoiserTranslationProperties {
    /// (training points N, dimension d, batch B)
    static let sizes = zip(Gen.int(in: 1...8), Gen.int(in: 1...4), Gen.int(in: 1...5))
    /// Shifts up to 10 in each coordinate.
    static let shiftBound = Gen.double(in: 0...10)

    @Test func empiricalDenoiserIsTranslationEquivariant() async {
        await propertyCheck(count: 60, input: Self.sizes, Self.shiftBound, Gens.sigma, Gens.seed) { size, bound, sigma, seed in
            let (n, d, b) = size
            let data: Matrix<Double> = Draw.matrix(n, d, seed: seed, scale: 2)
            let x: Matrix<Double> = Draw.matrix(b, d, seed: seed + 1, scale: 3)
            let c = Draw.vector(d, seed: seed + 2, bound: bound)
            let plain = try EmpiricalDenoiser(data: data).denoise(x, sigma: sigma)
            let moved = try EmpiricalDenoiser(data: data.addingToRows(c)).denoise(x.addingToRows(c), sigma: sigma)
            #expect(maxDifference(moved, plain.addingToRows(c)) <= 1e-9 * (1 + bound))
        }
    }

    @Test func fittedGaussianDenoiserIsTranslationEquivariant() async {
        await propertyCheck(count: 60, input: Self.sizes, Self.shiftBound, Gens.sigma, Gens.seed) { size, bound, sigma, seed in
            let (n, d, b) = size
            let data: Matrix<Double> = Draw.matrix(n + d + 1, d, seed: seed, scale: 2)
            let x: Matrix<Double> = Draw.matrix(b, d, seed: seed + 1, scale: 3)
            let c = Draw.vector(d, seed: seed + 2, bound: bound)
            let plain = try GaussianDenoiser(fitting: data).denoise(x, sigma: sigma)
            let moved = try GaussianDenoiser(fitting: data.addingToRows(c)).denoise(x.addingToRows(c), sigma: sigma)
            #expect(maxDifference(moved, plain.addingToRows(c)) <= 1e-9 * (1 + bound))
        }
    }

    @Test func gaussianMixtureDenoiserIsTranslationEquivariant() async {
        await propertyCheck(count: 60, input: Self.sizes, Self.shiftBound, Gens.sigma, Gens.seed) { size, bound, sigma, seed in
            let (k, d, b) = size
            let weights = Draw.vector(k, seed: seed + 3, bound: 1).map { Swift.abs($0) + 0.05 }
            let total = weights.reduce(0, +)
            let means: Matrix<Double> = Draw.matrix(k, d, seed: seed, scale: 2)
            let covariances = (0..<k).map { Draw.covariance(d, seed: seed + 10 + UInt64($0)) }
            let x: Matrix<Double> = Draw.matrix(b, d, seed: seed + 1, scale: 3)
            let c = Draw.vector(d, seed: seed + 2, bound: bound)
            let pi = weights.map { $0 / total }
            let plain = try GaussianMixtureDenoiser(weights: pi, means: means, covariances: covariances)
                .denoise(x, sigma: sigma)
            let moved = try GaussianMixtureDenoiser(weights: pi, means: means.addingToRows(c), covariances: covariances)
                .denoise(x.addingToRows(c), sigma: sigma)
            #expect(maxDifference(moved, plain.addingToRows(c)) <= 1e-9 * (1 + bound))
        }
    }
}
