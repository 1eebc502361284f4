import Foundation
import ScoreKitSamplers
import Testing

@Suite("Reference samplers through their names")
struct ReferenceSamplerNameTests {
    @Test("names are the command line's")
    func names() {
        #expect(ReferenceSamplerName.allCases.map(\.rawValue) == ["rk4", "rk45", "euler_maruyama", "pc", "ald"])
        #expect(ReferenceSamplerName.allCases.filter(\.isStochastic) == [.eulerMaruyama, .pc, .ald])
    }

    /// Runs `name` through the dispatcher; returns the output, NFE and the observed σ.
    func run<Scalar: MatrixScalar>(_ name: ReferenceSamplerName, _: Scalar.Type, sigmas: [Scalar])
        throws -> (Matrix<Scalar>, Int, [Scalar])
    {
        let data = RefIsotropicGaussian<Scalar>(mean: [0.5, -1, 2], std: 0.8)
        var z = try PerSampleNoiseSource<Scalar>(seed: 1000)
        let x0 = try z.next(rows: 5, columns: 3, sigma: 0, sigmaNext: 0) * sigmas[0]
        var seen: [Scalar] = []
        let model = SamplingModel(data) { seen.append($0.sigma) }
        var noise = try PerSampleNoiseSource<Scalar>(seed: 3)
        let options = ReferenceSamplerOptions<Scalar>(pc: .init(correctorSteps: 2), ald: .init(stepSize: 1e-6, stepsPerLevel: 3))
        let out = try name.sample(model, from: x0, sigmas: sigmas, options: options, noise: &noise)
        return (out, model.nfe, seen)
    }

    @Test("every sampler runs in Float and Double with the documented NFE and one report per step",
          arguments: ReferenceSamplerName.allCases)
    func dispatch(name: ReferenceSamplerName) throws {
        let sigmas = refKarrasSigmas(8, sigmaMin: 0.002, sigmaMax: 80.0)
        let (out, nfe, seen) = try run(name, Double.self, sigmas: sigmas)
        let nonzero = Array(sigmas.dropLast())
        #expect(out.isFinite)
        switch name {
        case .rk4: #expect(nfe == 4 * 7 + 1 && seen == nonzero)
        case .rk45: #expect(nfe > 8 && seen == nonzero)
        case .eulerMaruyama: #expect(nfe == 8 && seen == nonzero)
        case .pc: #expect(nfe == 8 * 3 && seen == nonzero)
        case .ald: #expect(nfe == 8 * 3 + 1 && seen == nonzero.flatMap { Array(repeating: $0, count: 3) })
        }
        let (outFloat, nfeFloat, _) = try run(name, Float.self, sigmas: refKarrasSigmas(8, sigmaMin: Float(0.002), sigmaMax: 80))
        #expect(outFloat.isFinite)
        if name != .rk45 { #expect(nfeFloat == nfe) }
        #expect(refMaxAbsDifference(outFloat.converted(to: Double.self), out) < 5e-3)
    }

    @Test("one-step schedules give finite results", arguments: ReferenceSamplerName.allCases)
    func oneStep(name: ReferenceSamplerName) throws {
        let (out, nfe, seen) = try run(name, Double.self, sigmas: [10, 0])
        #expect(out.isFinite && seen.allSatisfy { $0 == 10 })
        #expect(nfe == [ReferenceSamplerName.rk4: 1, .rk45: 1, .eulerMaruyama: 1, .pc: 3, .ald: 4][name])
    }
}
