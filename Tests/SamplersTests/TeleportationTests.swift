import Testing
import ScoreKitDenoisers
@testable import ScoreKitSamplers

@Suite("Analytical teleportation and sampler equivalences")
struct TeleportationTests {
    /// 2-D Gaussian data with an anisotropic covariance, as 400 points drawn from it.
    private func gaussianData() -> Matrix<Double> {
        let z = CounterNormalRNG(seed: 5).normals(rows: 400, columns: 2, draw: 0, as: Double.self)
        return Matrix(rows: 400, columns: 2) { i, j in j == 0 ? 1 + 2 * z[i, 0] : -1 + 0.5 * z[i, 0] + 0.3 * z[i, 1] }
    }

    @Test func teleportingThenSolvingEqualsTheExactFlow() throws {
        let gaussian = try GaussianDenoiser(fitting: gaussianData())
        let sigmas = refKarrasSigmas(20, sigmaMin: 0.002, sigmaMax: 80.0)
        let x0 = CounterNormalRNG(seed: 9).normals(rows: 8, columns: 2, draw: 0, as: Double.self) * 80
        let jump = try Teleportation(gaussian: gaussian, sigmaSkip: 3).apply(x0, sigmas: sigmas)
        #expect(jump.skipped > 0 && jump.sigmas.first! <= 3 && jump.sigmas.count == sigmas.count - jump.skipped)
        var options = DormandPrinceOptions<Double>()
        (options.rtol, options.atol) = (1e-12, 1e-12)
        let solved = try sampleRK45(SamplingModel(gaussian), from: jump.x, sigmas: jump.sigmas, options: options)
        // The data's Gaussian flow from σ_max down to the last nonzero σ, then D there.
        let last = sigmas[sigmas.count - 2]
        let exact = try gaussian.denoise(try gaussian.flow(x0, from: 80, to: last), sigma: last)
        #expect((solved - exact).maxAbs() < 1e-9)
    }

    @Test func teleportationAboveTheScheduleSkipsNothingAndBelowKeepsTheLastStep() throws {
        let gaussian = try GaussianDenoiser(fitting: gaussianData())
        let sigmas = refKarrasSigmas(5, sigmaMin: 0.01, sigmaMax: 10.0)
        let x = Matrix<Double>(rows: 1, columns: 2, scalars: [3, 4])
        let none = try Teleportation(gaussian: gaussian, sigmaSkip: 100).apply(x, sigmas: sigmas)
        #expect(none.skipped == 0 && none.x == x && none.sigmas == sigmas)
        let most = try Teleportation(gaussian: gaussian, sigmaSkip: 1e-6).apply(x, sigmas: sigmas)
        #expect(most.sigmas == [sigmas[4], 0])
        #expect(throws: SamplingError.self) { try Teleportation(gaussian: gaussian, sigmaSkip: -1) }
    }

    @Test(arguments: [(SamplerName.kdiffusion(.eulerAncestral), SamplerName.kdiffusion(.euler)),
                      (.kdiffusion(.dpmpp2MSDE), .kdiffusion(.dpmpp2M))])
    func ancestralSamplersWithEtaZeroEqualTheirODECounterparts(pair: (SamplerName, SamplerName)) throws {
        let gaussian = try GaussianDenoiser(fitting: gaussianData())
        let sigmas = refKarrasSigmas(12, sigmaMin: 0.002, sigmaMax: 80.0)
        let x = CounterNormalRNG(seed: 2).normals(rows: 5, columns: 2, draw: 0, as: Double.self) * 80
        var options = SamplerOptions<Double>()
        options.kdiffusion.eta = 0
        var noise = try PerSampleNoiseSource<Double>(seed: 1)
        let stochastic = try pair.0.sample(SamplingModel(gaussian), from: x, sigmas: sigmas, options: options, noise: &noise)
        var none = NoNoise<Double>()
        let ode = try pair.1.sample(SamplingModel(gaussian), from: x, sigmas: sigmas, noise: &none)
        #expect((stochastic - ode).maxAbs() < 1e-12)
    }
}
