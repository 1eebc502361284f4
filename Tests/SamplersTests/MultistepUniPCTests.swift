import Foundation
import Testing
@testable import ScoreKitSamplers

/// UniPC and DPM-Solver++(3M) against the ring8 oracle runs (ref_sample.py's UniPC written from the
/// paper, diffusers' UniPCMultistepScheduler and DPMSolverMultistepScheduler), plus properties.
@Suite("Multistep: UniPC and DPM-Solver++(3M)")
struct MultistepUniPCTests {
    let fixtures: Multistep.Fixtures

    init() throws {
        fixtures = try #require(Multistep.fixtures, "multistep fixtures missing or unreadable")
    }

    /// Rows are independent in these samplers; 16 of the fixture's 32 keep the suite fast.
    private let rows = 16

    private func run(_ run: Multistep.Run, observer: ((StepEvent<Double>) -> Void)? = nil) throws -> (Matrix<Double>, Int) {
        let model = SamplingModel(fixtures.denoiser(for: run), observer: observer)
        let x = fixtures.start(for: run, scale: run.sigmas[0]).rows(0..<rows)
        let s = run.settings
        let out: Matrix<Double>
        if s.sampler == "unipc" {
            let variant = try #require(UniPCVariant(rawValue: s.variant ?? ""))
            out = try sampleUniPC(model, from: x, sigmas: run.sigmas, options: UniPCOptions(
                order: s.order ?? 2, variant: variant, corrector: s.corrector ?? true))
        } else {
            out = try sampleDPMppMultistep(model, from: x, sigmas: run.sigmas, order: s.order ?? 3)
        }
        return (out, model.nfe)
    }

    @Test("UniPC (bh1, bh2, orders 2–3, with and without corrector) matches every oracle run to 1e-10")
    func uniPCParity() throws {
        let runs = fixtures.runs(sampler: "unipc")
        #expect(runs.count >= 60)
        for r in runs {
            let (out, nfe) = try run(r)
            let err = Multistep.maxAbsDifference(out, Multistep.matrix(Array(r.output.prefix(rows))))
            #expect(err < 1e-10, "\(r.id): max |Δ| = \(err)")
            #expect(nfe == r.nfe, "\(r.id): NFE \(nfe), oracle \(r.nfe)")
        }
    }

    @Test("DPM-Solver++(3M) matches diffusers' DPMSolverMultistepScheduler(order 3) to 1e-10")
    func dpmpp3MParity() throws {
        let runs = fixtures.runs(sampler: "dpmpp_3m")
        #expect(runs.count >= 10)
        for r in runs {
            let (out, nfe) = try run(r)
            let err = Multistep.maxAbsDifference(out, Multistep.matrix(Array(r.output.prefix(rows))))
            #expect(err < 1e-10, "\(r.id): max |Δ| = \(err)")
            #expect(nfe == r.nfe)
        }
    }

    @Test("the observer sees the corrected state and D at every σ_i, as the oracle's callback")
    func observerMatchesOracleTrajectory() throws {
        let runs = fixtures.runs.filter { $0.trajectory != nil }
        #expect(!runs.isEmpty)
        for r in runs {
            var events: [StepEvent<Double>] = []
            let (out, _) = try run(r) { events.append($0) }
            let trajectory = try #require(r.trajectory), denoised = try #require(r.denoised)
            #expect(events.map(\.step) == Array(0..<(r.sigmas.count - 1)))
            #expect(events.map(\.sigma) == Array(r.sigmas.dropLast()))
            for (k, e) in events.enumerated() {
                #expect(Multistep.maxAbsDifference(e.x, Multistep.matrix(Array(trajectory[k].prefix(rows)))) < 1e-10, "\(r.id) x at step \(k)")
                #expect(Multistep.maxAbsDifference(e.denoised, Multistep.matrix(Array(denoised[k].prefix(rows)))) < 1e-10, "\(r.id) D at step \(k)")
            }
            #expect(Multistep.maxAbsDifference(out, Multistep.matrix(Array(trajectory[trajectory.count - 1].prefix(rows)))) < 1e-10)
        }
    }

    @Test("a one-step schedule [σ, 0] returns D(x; σ) exactly, for every order and variant")
    func oneStepReturnsDenoised() throws {
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 0.25, dimension: 2)
        let x = Matrix<Double>(rowArrays: [[3, -1], [0.5, 2]])
        let expected = try denoiser.denoise(x, sigma: 4)
        for order in 1...3 {
            for variant in UniPCVariant.allCases {
                let model = SamplingModel(denoiser)
                let out = try sampleUniPC(model, from: x, sigmas: [4, 0], options: UniPCOptions(order: order, variant: variant))
                #expect(out == expected)
                #expect(model.nfe == 1)
            }
            let model = SamplingModel(denoiser)
            #expect(try sampleDPMppMultistep(model, from: x, sigmas: [4, 0], order: order) == expected)
        }
    }

    @Test("every sampler runs in Float through the dispatcher, finite and close to Double")
    func floatPrecision() throws {
        let sigmas = Multistep.geometricSigmas(from: 80, to: 0.01, steps: 12) + [0]
        let x = Matrix<Double>(rowArrays: [[40, -20], [5, 60]])
        for name in MultistepSamplerName.allCases {
            var noise64 = NoNoise<Double>(), noise32 = NoNoise<Float>()
            let out64 = try sampleMultistep(name, SamplingModel(Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)),
                                            from: x, sigmas: sigmas, noise: &noise64)
            let out32 = try sampleMultistep(name, SamplingModel(Multistep.IsotropicGaussianDenoiser<Float>(variance: 1, dimension: 2)),
                                            from: x.converted(to: Float.self), sigmas: sigmas.map { Float($0) }, noise: &noise32)
            #expect(out32.isFinite, "\(name)")
            #expect(Multistep.maxAbsDifference(out32.converted(to: Double.self), out64) < 1e-3, "\(name)")
        }
    }

    @Test("UniPC, DPM-Solver++(3M), iPNDM and DEIS report each step once, with σ_i, before the update")
    func observerOncePerStep() throws {
        let sigmas = [10, 4, 1.5, 0.5, 0.1, 0]
        let x = Matrix<Double>(rowArrays: [[5, -2]])
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)
        for name in [MultistepSamplerName.unipc, .dpmpp3M, .ipndm, .deis] {
            var events: [StepEvent<Double>] = []
            var noise = NoNoise<Double>()
            let model = SamplingModel(denoiser) { events.append($0) }
            _ = try sampleMultistep(name, model, from: x, sigmas: sigmas, noise: &noise)
            #expect(events.map(\.step) == Array(0..<5), "\(name)")
            #expect(events.map(\.sigma) == Array(sigmas.dropLast()) && events.map(\.sigmaHat) == Array(sigmas.dropLast()))
            #expect(events[0].x == x)
            #expect(events.allSatisfy { $0.denoised == (try? denoiser.denoise($0.x, sigma: $0.sigma)) } || name == .unipc)
            #expect(model.nfe == 5)
        }
    }

    /// Error at σ_min = 0.05 against the closed form on a log-uniform grid from σ = 20, for 8…64 steps.
    private func errors(_ sample: (SamplingModel<Multistep.IsotropicGaussianDenoiser<Double>>, Matrix<Double>, [Double]) throws -> Matrix<Double>) throws -> [Double] {
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)
        let x = Matrix<Double>(rowArrays: [[20, -10], [4, 30]])
        return try [8, 16, 32, 64].map { steps in
            let sigmas = Multistep.geometricSigmas(from: 20, to: 0.05, steps: steps)
            let out = try sample(SamplingModel(denoiser), x, sigmas)
            return Multistep.maxAbsDifference(out, denoiser.exactSolution(x, from: 20, to: 0.05))
        }
    }

    /// Observed (64 vs 32 steps): UniPC-2 3.0, UniPC-3 3.6, UniP-2 2.0, DDIM 1.0, DPM++(3M) 2.1: the
    /// corrector adds one order; 3M's first-order warm-up step caps it at 2 asymptotically.
    @Test("convergence orders on Gaussian data: UniPC-2 and UniPC-3 > 2.5, UniP-2 ≈ 2, DDIM ≈ 1, 3M > 1.8")
    func convergenceOrders() throws {
        func uniPC(_ options: UniPCOptions) throws -> Double {
            Multistep.observedOrder(try errors { try sampleUniPC($0, from: $1, sigmas: $2, options: options) })
        }
        let unipc2 = try uniPC(UniPCOptions(order: 2, lowerOrderFinal: false))
        let unipc3 = try uniPC(UniPCOptions(order: 3, lowerOrderFinal: false))
        let unip2 = try uniPC(UniPCOptions(order: 2, corrector: false, lowerOrderFinal: false))
        let ddim = try uniPC(UniPCOptions(order: 1, corrector: false))
        let dpmpp3 = Multistep.observedOrder(try errors { try sampleDPMppMultistep($0, from: $1, sigmas: $2, order: 3, lowerOrderFinal: false) })
        #expect(unipc2 > 2.5)
        #expect(unipc3 > 2.5)
        #expect(unip2 > 1.7 && unip2 < 2.5)
        #expect(ddim > 0.8 && ddim < 1.3)
        #expect(dpmpp3 > 1.8)
    }

    @Test("bad schedules and options throw typed errors")
    func invalidInput() throws {
        let model = SamplingModel(Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 1))
        let x = Matrix<Double>(rowArrays: [[1]])
        #expect(throws: SamplingError.self) { try sampleUniPC(model, from: x, sigmas: [1]) }
        #expect(throws: SamplingError.self) { try sampleUniPC(model, from: x, sigmas: [1, 1, 0]) }
        #expect(throws: SamplingError.self) { try sampleUniPC(model, from: x, sigmas: [1, .nan, 0]) }
        #expect(throws: SamplingError.self) { try sampleUniPC(model, from: x, sigmas: [1, 0, 0]) }
        #expect(throws: SamplingError.self) { try sampleUniPC(model, from: x, sigmas: [2, 1, 0], options: UniPCOptions(order: 4)) }
        #expect(throws: SamplingError.self) { try sampleDPMppMultistep(model, from: x, sigmas: [2, 1, 0], order: 0) }
        #expect(model.nfe == 0)
    }
}
