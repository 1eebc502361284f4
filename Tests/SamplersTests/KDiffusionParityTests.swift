import Testing
@testable import ScoreKitSamplers

/// Parity with k-diffusion 0.1.1.post1 on the ring8 reference runs (empirical denoiser, float64):
/// same start state, same σ schedule, same replayed draws ⇒ the same samples to ~1e-12.
@Suite("k-diffusion parity")
struct KDiffusionParityTests {
    static let deterministic = ["euler", "heun", "dpm_2", "lms4", "dpmpp_2m", "dpmpp_2s_eta0", "dpmpp_sde_eta0",
                                "dpmpp_2m_sde_heun_eta0", "dpmpp_3m_sde_eta0"]
    static let stochastic = ["euler_churn", "heun_churn", "euler_ancestral", "dpm_2_ancestral", "dpmpp_2s_ancestral",
                             "dpmpp_sde", "dpmpp_2m_sde", "dpmpp_3m_sde"]
    static let runIDs =
        deterministic.map { "empirical_karras_n25_\($0)" }
        + stochastic.map { "empirical_karras_n25_\($0)_noisefile" }
        + deterministic.map { "empirical_karras_n10_\($0)" }
        + ["exp", "vp", "vegeo"].flatMap { s in ["euler", "heun", "dpmpp_2m", "lms4"].map { "empirical_\(s)_n25_\($0)" } }

    @Test("output, NFE and draws match the reference run", arguments: runIDs)
    func parity(id: String) throws {
        let fixtures = try KDiff.fixtures.get()
        let run = try #require(fixtures.runs[id], "no fixture for \(id)")
        let sampler = try #require(KDiffusionSampler(rawValue: run.sampler))
        let model = SamplingModel(KDiff.ReferenceEmpiricalDenoiser(points: fixtures.inputs.X))
        // Replayed draws everywhere: the *_eta0 runs draw too (k-diffusion scales those draws by 0).
        var noise = try fixtures.replayNoise()
        let out = try sampler.sample(model, from: fixtures.start(sigma0: run.sigmas[0]), sigmas: run.sigmas,
                                     options: try run.kdiffusionOptions, noise: &noise)
        let error = KDiff.maxAbsDifference(out, run.out)
        #expect(error < 1e-12, "max |Δ| = \(error)")
        #expect(model.nfe == run.nfe)
        #expect(model.nfe == sampler.functionEvaluations(steps: run.sigmas.count - 1))
        if run.options.noise == "file" {
            #expect(noise.used == run.noise_draws_used)
        }
    }

    @Test("the observer sees the state before each update and D, as the reference trajectory")
    func trajectory() throws {
        let fixtures = try KDiff.fixtures.get()
        let run = try #require(fixtures.runs["empirical_karras_n25_euler"])
        let trajectory = try #require(run.trajectory)
        let denoised = try #require(run.denoised)
        var events: [StepEvent<Double>] = []
        let model = SamplingModel(KDiff.ReferenceEmpiricalDenoiser(points: fixtures.inputs.X)) { events.append($0) }
        let out = try sampleEuler(model, from: fixtures.start(sigma0: run.sigmas[0]), sigmas: run.sigmas)
        try #require(events.count == 25)
        for (i, e) in events.enumerated() {
            #expect(e.step == i && e.sigma == run.sigmas[i] && e.sigmaHat == run.sigmas[i])
            #expect(KDiff.maxAbsDifference(e.x, trajectory[i]) < 1e-10)
            #expect(KDiff.maxAbsDifference(e.denoised, denoised[i]) < 1e-10)
        }
        #expect(KDiff.maxAbsDifference(out, trajectory[25]) < 1e-10)
    }

    @Test("LMS coefficients in closed form equal k-diffusion's scipy quadrature")
    func lmsCoefficients() throws {
        let fixtures = try KDiff.fixtures.get()
        #expect(fixtures.lms.count == 3)
        for reference in fixtures.lms {
            for (i, expected) in reference.coefficients.enumerated() {
                let got = linearMultistepCoefficients(reference.sigmas, step: i, order: expected.count)
                for (g, e) in zip(got, expected) {
                    #expect(abs(g - e) <= 1e-10 * max(1, abs(e)), "\(reference.id) order \(reference.order) step \(i)")
                }
            }
        }
    }
}
