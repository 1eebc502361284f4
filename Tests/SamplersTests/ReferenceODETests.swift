import Foundation
import ScoreKitSamplers
import Testing

/// rk45 against scipy's DOP853 (ring8 oracle, rtol = atol = 1e-10) and against the closed-form
/// Gaussian flow; rk4 against the closed form (fourth-order convergence).
@Suite("Reference ODE solvers")
struct ReferenceODETests {
    let fixture: RefODEFixture

    init() throws { fixture = try RefODEFixture.load() }

    var start: Matrix<Double> { refMatrix(fixture.Z) * 80 }

    var gaussian: RefGaussianDenoiser<Double> {
        RefGaussianDenoiser(mu: fixture.gaussian.mu, lam: fixture.gaussian.lam, U: fixture.gaussian.U)
    }

    /// Runs rk45 and returns (output, observed events).
    func solve<D: Denoiser<Double>>(_ denoiser: D, sigmas: [Double], options: DormandPrinceOptions<Double>,
                                    rows: Int? = nil) throws -> (Matrix<Double>, [StepEvent<Double>], Int)
    {
        var events: [StepEvent<Double>] = []
        let model = SamplingModel(denoiser) { events.append($0) }
        let x0 = refMatrix(Array(fixture.Z.prefix(rows ?? fixture.Z.count))) * sigmas[0]
        let out = try sampleRK45(model, from: x0, sigmas: sigmas, options: options)
        return (out, events, model.nfe)
    }

    /// The empirical runs use the first 4 fixture rows: the debug-build denoiser is the slow part.
    var empirical: RefEmpiricalDenoiser { RefEmpiricalDenoiser(points: fixture.X) }

    @Test("rk45 follows DOP853 on the empirical denoiser at every schedule σ and at 0")
    func empiricalDOP853() throws {
        let run = try fixture.run("empirical_karras_ode_dop853")
        let traj = try #require(run.trajectory)
        let options = DormandPrinceOptions<Double>(rtol: 1e-10, atol: 1e-10)
        let (out, events, _) = try solve(empirical, sigmas: run.sigmas, options: options, rows: 4)
        #expect(events.map(\.sigma) == Array(run.sigmas.dropLast()))
        for (event, expected) in zip(events, traj) {
            #expect(refMaxAbsDifference(event.x, refMatrix(Array(expected.prefix(4)))) < 1e-8, "σ = \(event.sigma)")
        }
        #expect(refMaxAbsDifference(out, refMatrix(Array(run.out.prefix(4)))) < 1e-8)
        #expect(run.ends_at_sigma == 0)
    }

    @Test("rk45 without the final denoise stops at the last nonzero σ like DOP853's nofinal runs",
          arguments: ["empirical_karras_ode_dop853_nofinal", "gaussian_karras_ode_dop853_nofinal"])
    func noFinal(id: String) throws {
        let run = try fixture.run(id)
        let isGaussian = id.hasPrefix("gaussian")
        let denoiser: any Denoiser<Double> = isGaussian ? gaussian : empirical
        let rows = isGaussian ? fixture.Z.count : 4
        let options = DormandPrinceOptions<Double>(rtol: 1e-10, atol: 1e-10, variable: .logSigma, denoiseToZero: false)
        let (out, events, _) = try solve(denoiser, sigmas: run.sigmas, options: options, rows: rows)
        #expect(run.ends_at_sigma == run.sigmas[run.sigmas.count - 2])
        #expect(events.last?.sigma == run.ends_at_sigma)
        #expect(refMaxAbsDifference(out, refMatrix(Array(run.out.prefix(rows)))) < 1e-8)
    }

    @Test("rk45 matches DOP853 and the closed form on the Gaussian fitted to ring8",
          arguments: [ODEVariable.logSigma, .sigma])
    func gaussianClosedForm(variable: ODEVariable) throws {
        let run = try fixture.run("gaussian_karras_ode_dop853")
        let traj = try #require(run.trajectory)
        let options = DormandPrinceOptions<Double>(rtol: 1e-12, atol: 1e-12, variable: variable)
        let (out, events, _) = try solve(gaussian, sigmas: run.sigmas, options: options)
        for (event, expected) in zip(events, traj) {
            #expect(refMaxAbsDifference(event.x, refMatrix(expected)) < 1e-7)
            let exact = gaussian.exactFlow(start, from: 80, to: event.sigma)
            #expect(refMaxAbsDifference(event.x, exact) < 1e-8, "σ = \(event.sigma)")
        }
        let last = run.sigmas[run.sigmas.count - 2]
        let exactFinal = try gaussian.denoise(gaussian.exactFlow(start, from: 80, to: last), sigma: last)
        #expect(refMaxAbsDifference(out, exactFinal) < 1e-8)
        #expect(refMaxAbsDifference(out, refMatrix(run.out)) < 1e-7)
    }

    @Test("rk4 converges with order 4 to the closed-form Gaussian flow")
    func rk4Order() throws {
        let denoiser = RefGaussianDenoiser<Double>(mean: [0.5, -1], std: 0.7)
        let x0 = refMatrix(fixture.Z) * 80
        var errors: [Double] = []
        for n in [8, 16, 32] {
            let sigmas = Array(refKarrasSigmas(n, sigmaMin: 0.02, sigmaMax: 80.0).dropLast())
            let out = try sampleRK4(SamplingModel(denoiser), from: x0, sigmas: sigmas)
            errors.append(refMaxAbsDifference(out, denoiser.exactFlow(x0, from: 80, to: 0.02)))
        }
        let orders = zip(errors, errors.dropFirst()).map { Foundation.log2($0 / $1) }
        #expect(orders.allSatisfy { $0 > 3.6 && $0 < 4.6 }, "errors \(errors), orders \(orders)")
    }

    @Test("rk4 counts 4(N − 1) + 1 evaluations, observes each step, and ends at D")
    func rk4Counts() throws {
        let denoiser = RefGaussianDenoiser<Double>(mean: [0, 0], std: 1)
        var events: [StepEvent<Double>] = []
        let model = SamplingModel(denoiser) { events.append($0) }
        let sigmas = refKarrasSigmas(6, sigmaMin: 0.002, sigmaMax: 80.0)
        let out = try sampleRK4(model, from: start, sigmas: sigmas)
        #expect(model.nfe == 4 * 5 + 1)
        #expect(events.map(\.sigma) == Array(sigmas.dropLast()))
        #expect(events.map(\.step) == Array(0..<6))
        let last = try #require(events.last)
        #expect(out == (try denoiser.denoise(last.x, sigma: sigmas[5])))
    }

    @Test("one-step schedules return D(x; σ₀) with one evaluation", arguments: [ReferenceSamplerName.rk4, .rk45])
    func oneStep(name: ReferenceSamplerName) throws {
        let denoiser = RefEmpiricalDenoiser(points: fixture.X)
        let model = SamplingModel(denoiser)
        let out = name == .rk4 ? try sampleRK4(model, from: start, sigmas: [80, 0])
            : try sampleRK45(model, from: start, sigmas: [80, 0])
        #expect(out.isFinite)
        #expect(out == (try denoiser.denoise(start, sigma: 80)))
        #expect(model.nfe == 1)
    }

    @Test("rk45 in Float tracks the Gaussian closed form with its precision-limited tolerance")
    func float() throws {
        let denoiser = RefGaussianDenoiser<Float>(mean: [0.5, -1], std: 0.7)
        let x0 = Matrix<Float>(rows: 3, columns: 2, scalars: [1, -0.5, 0.3, 2, -1.2, 0.1]) * 80
        let sigmas = refKarrasSigmas(10, sigmaMin: Float(0.002), sigmaMax: 80)
        let out = try sampleRK45(SamplingModel(denoiser), from: x0, sigmas: sigmas, options: .init(rtol: 1e-5, atol: 1e-5, denoiseToZero: false))
        let exact = denoiser.exactFlow(x0, from: 80, to: sigmas[9])
        #expect(refMaxAbsDifference(out, exact) < 1e-3)
    }

    @Test("bad schedules, states and options are typed errors")
    func badInput() throws {
        let model = SamplingModel(RefGaussianDenoiser<Double>(mean: [0, 0], std: 1))
        #expect(throws: SamplingError.self) { try sampleRK4(model, from: start, sigmas: [1, 2, 0]) }
        #expect(throws: SamplingError.self) { try sampleRK4(model, from: start, sigmas: [1]) }
        #expect(throws: SamplingError.self) { try sampleRK45(model, from: start, sigmas: [1, 0, 0]) }
        #expect(throws: SamplingError.self) { try sampleRK45(model, from: start, sigmas: [1, .nan, 0]) }
        #expect(throws: SamplingError.self) { try sampleRK4(model, from: Matrix(rows: 2, columns: 3), sigmas: [1, 0]) }
        #expect(throws: SamplingError.self) {
            try sampleRK45(model, from: start, sigmas: [1, 0.5, 0], options: .init(rtol: -1))
        }
        #expect(throws: ODESolverError.self) {
            try sampleRK45(model, from: start, sigmas: [80, 0.002, 0], options: .init(rtol: 1e-12, atol: 1e-12, initialStep: 1e-3, maxSteps: 3))
        }
        var bad = start
        bad[0, 0] = .infinity
        #expect(throws: SamplingError.self) { try sampleRK45(model, from: bad, sigmas: [1, 0]) }
    }
}
