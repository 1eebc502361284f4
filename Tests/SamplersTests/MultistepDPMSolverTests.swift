import Foundation
import Testing
@testable import ScoreKitSamplers

/// DPM-Solver-fast and DPM-Solver-adaptive against k-diffusion 0.1.1's ring8 runs, plus properties.
@Suite("Multistep: DPM-Solver fast and adaptive")
struct MultistepDPMSolverTests {
    let fixtures: Multistep.Fixtures

    init() throws {
        fixtures = try #require(Multistep.fixtures, "multistep fixtures missing or unreadable")
    }

    @Test("dpm_fast (NFE 30) matches k-diffusion to 1e-10 with exactly 30 evaluations")
    func dpmFastParity() throws {
        let runs = fixtures.runs(sampler: "dpm_fast")
        #expect(runs.count == 2)
        for r in runs {
            let model = SamplingModel(fixtures.denoiser(for: r))
            var noise = NoNoise<Double>()
            let out = try sampleDPMFast(model, from: fixtures.start(for: r, scale: r.sigmaMax), sigmaMin: r.sigmaMin,
                                        sigmaMax: r.sigmaMax, nfe: try #require(r.settings.nfe), noise: &noise)
            let err = Multistep.maxAbsDifference(out, Multistep.matrix(r.output))
            #expect(err < 1e-10, "\(r.id): max |Δ| = \(err)")
            #expect(model.nfe == 30 && r.nfe == 30)
        }
    }

    @Test("dpm_adaptive matches k-diffusion on the whole 256-row batch, with its step/accept/reject counts")
    func dpmAdaptiveParity() throws {
        let runs = fixtures.runs(sampler: "dpm_adaptive")
        #expect(runs.count == 2)
        for r in runs {
            #expect(r.rows == 256, "the error norm couples rows: the fixture must hold the whole batch")
            let model = SamplingModel(fixtures.denoiser(for: r))
            var noise = NoNoise<Double>()
            let options = DPMAdaptiveOptions(order: r.settings.order ?? 3, rtol: r.settings.rtol ?? 0.05,
                                             atol: r.settings.atol ?? 0.0078)
            let (out, info) = try sampleDPMAdaptive(model, from: fixtures.start(for: r, scale: r.sigmaMax),
                                                    sigmaMin: r.sigmaMin, sigmaMax: r.sigmaMax, options: options, noise: &noise)
            // Near σ_min = 0.002 the empirical denoiser's Jacobian Cov/σ² reaches ~10⁴ for points between
            // training samples, so round-off differences (torch.cdist vs direct differences) grow there:
            // a few of the 256 rows differ by up to ~2e-10, the typical row by ~1e-12.
            let rowErrors = (0..<out.rows).map { i in
                zip(out.row(i), r.output[i]).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
            }.sorted()
            #expect(rowErrors[rowErrors.count - 1] < 1e-9, "\(r.id): max |Δ| = \(rowErrors[rowErrors.count - 1])")
            #expect(rowErrors[rowErrors.count / 2] < 1e-11, "\(r.id): median row |Δ| = \(rowErrors[rowErrors.count / 2])")
            let oracle = try #require(r.adaptiveInfo)
            #expect(info == DPMAdaptiveInfo(steps: oracle.steps, nfe: oracle.nfe, accepted: oracle.n_accept, rejected: oracle.n_reject))
            #expect(model.nfe == r.nfe && info.nfe == r.nfe)
        }
    }

    @Test("the dispatcher runs dpm_fast / dpm_adaptive from a schedule's σ₀ and last nonzero σ")
    func dispatcherUsesScheduleRange() throws {
        for r in fixtures.runs.filter({ $0.id.hasPrefix("gaussian_karras_dpm") || $0.id == "empirical_karras_dpm_fast_nfe30" }) {
            // the oracle built a Karras schedule (30 or 25 steps) and passed its first and last nonzero σ
            let name = try #require(MultistepSamplerName(rawValue: r.settings.sampler))
            let model = SamplingModel(fixtures.denoiser(for: r))
            var noise = NoNoise<Double>()
            let out = try sampleMultistep(name, model, from: fixtures.start(for: r, scale: r.sigmaMax), sigmas: r.sigmas,
                                          noise: &noise)
            #expect(Multistep.maxAbsDifference(out, Multistep.matrix(r.output)) < 1e-9, "\(r.id)")
            #expect(model.nfe == r.nfe)
        }
    }

    @Test("dpm_fast spends exactly its budget for every n (orders 3…3 + [2,1] or [n mod 3])")
    func dpmFastBudget() throws {
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)
        let x = Matrix<Double>(rowArrays: [[10, -5]])
        for n in 1...13 {
            var steps: [Int] = []
            let model = SamplingModel(denoiser) { steps.append($0.step) }
            var noise = NoNoise<Double>()
            let out = try sampleDPMFast(model, from: x, sigmaMin: 0.01, sigmaMax: 10, nfe: n, noise: &noise)
            #expect(model.nfe == n)
            #expect(out.isFinite)
            #expect(steps == Array(0..<(n / 3 + 1)), "n = \(n): one observed step per interval")
        }
    }

    @Test("dpm_fast and dpm_adaptive converge to the exact Gaussian solution at σ_min")
    func convergence() throws {
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)
        let x = Matrix<Double>(rowArrays: [[20, -10], [4, 30]])
        let exact = denoiser.exactSolution(x, from: 20, to: 0.05)
        var noise = NoNoise<Double>()
        // budgets ≡ 2 (mod 3) end with one second-order step; ≡ 0 ends with [2, 1], whose first-order
        // last step dominates the error
        let fast = try [14, 26, 50].map { n in
            Multistep.maxAbsDifference(try sampleDPMFast(SamplingModel(denoiser), from: x, sigmaMin: 0.05, sigmaMax: 20,
                                                         nfe: n, noise: &noise), exact)
        }
        let order = Multistep.observedOrder(fast)
        #expect(order > 2.5)
        var tight = DPMAdaptiveOptions()
        tight.rtol = 1e-6
        tight.atol = 1e-6
        let (loose, _) = try sampleDPMAdaptive(SamplingModel(denoiser), from: x, sigmaMin: 0.05, sigmaMax: 20, noise: &noise)
        let (precise, info) = try sampleDPMAdaptive(SamplingModel(denoiser), from: x, sigmaMin: 0.05, sigmaMax: 20,
                                                    options: tight, noise: &noise)
        #expect(Multistep.maxAbsDifference(precise, exact) < 1e-4)
        #expect(Multistep.maxAbsDifference(precise, exact) < Multistep.maxAbsDifference(loose, exact))
        #expect(info.nfe == 3 * info.steps && info.steps == info.accepted + info.rejected)
    }

    @Test("η > 0 draws one noise sample per (accepted) step and stays finite")
    func ancestralNoise() throws {
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)
        let x = Matrix<Double>(rowArrays: [[10, -5], [3, 4]])
        var noise = Multistep.CountingNoise()
        let fast = try sampleDPMFast(SamplingModel(denoiser), from: x, sigmaMin: 0.01, sigmaMax: 10, nfe: 12,
                                     eta: 1, noise: &noise)
        #expect(fast.isFinite && noise.draws == 5)
        noise = Multistep.CountingNoise()
        let (adaptive, info) = try sampleDPMAdaptive(SamplingModel(denoiser), from: x, sigmaMin: 0.01, sigmaMax: 10,
                                                     options: DPMAdaptiveOptions(eta: 1), noise: &noise)
        #expect(adaptive.isFinite && noise.draws == info.accepted)
        var none = NoNoise<Double>()
        #expect(throws: SamplingError.self) {
            try sampleDPMFast(SamplingModel(denoiser), from: x, sigmaMin: 0.01, sigmaMax: 10, nfe: 3, eta: 1, noise: &none)
        }
    }

    @Test("σ_min = 0, σ_min ≥ σ_max, NFE 0, order 4 and a NaN state throw typed errors")
    func invalidInput() throws {
        let model = SamplingModel(Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 1))
        let x = Matrix<Double>(rowArrays: [[1]])
        var noise = NoNoise<Double>()
        #expect(throws: SamplingError.self) { try sampleDPMFast(model, from: x, sigmaMin: 0, sigmaMax: 1, nfe: 3, noise: &noise) }
        #expect(throws: SamplingError.self) { try sampleDPMFast(model, from: x, sigmaMin: 2, sigmaMax: 1, nfe: 3, noise: &noise) }
        #expect(throws: SamplingError.self) { try sampleDPMFast(model, from: x, sigmaMin: 0.1, sigmaMax: 1, nfe: 0, noise: &noise) }
        #expect(throws: SamplingError.self) {
            try sampleDPMAdaptive(model, from: x, sigmaMin: 0.1, sigmaMax: 1, options: DPMAdaptiveOptions(order: 4), noise: &noise)
        }
        #expect(throws: SamplingError.self) {
            try sampleDPMAdaptive(model, from: Matrix(rowArrays: [[.nan]]), sigmaMin: 0.1, sigmaMax: 1, noise: &noise)
        }
    }
}
