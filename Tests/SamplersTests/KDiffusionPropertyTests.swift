import Foundation
import Testing
@testable import ScoreKitSamplers

/// Properties of the k-diffusion samplers that hold whatever the data: evaluation counts, the final
/// step, the observer, the draws, convergence orders on a Gaussian with a known exact solution.
@Suite("k-diffusion sampler properties")
struct KDiffusionPropertyTests {
    typealias Gaussian = KDiff.GaussianDenoiser<Double>
    static let gaussian = Gaussian(variance: 1, dimension: 2)
    static let start = Matrix<Double>(rowArrays: [[0.3, -1.2], [2.0, 0.7], [-0.5, 1.5]])

    /// One run of `sampler` on the Gaussian with every draw recorded.
    static func run(_ sampler: KDiffusionSampler, sigmas: [Double], options: KDiffusionOptions<Double> = .init(),
                    observer: ((StepEvent<Double>) -> Void)? = nil)
        throws -> (x: Matrix<Double>, nfe: Int, draws: [(sigma: Double, sigmaNext: Double)])
    {
        let model = SamplingModel(gaussian, observer: observer)
        var noise = KDiff.RecordingNoise<Double>()
        let x = try sampler.sample(model, from: start * sigmas[0], sigmas: sigmas, options: options, noise: &noise)
        return (x, model.nfe, noise.requests)
    }

    @Test("NFE for N steps to σ = 0 (anchors §2.3)", arguments: KDiffusionSampler.allCases)
    func functionEvaluations(sampler: KDiffusionSampler) throws {
        let twoStage: Set<KDiffusionSampler> = [.heun, .dpm2, .dpm2Ancestral, .dpmpp2SAncestral, .dpmppSDE]
        for steps in [1, 2, 7] {
            let expected = twoStage.contains(sampler) ? 2 * steps - 1 : steps
            let nfe = try Self.run(sampler, sigmas: KDiff.karrasSigmas(steps: steps)).nfe
            #expect(nfe == expected, "\(sampler.rawValue), \(steps) steps")
            #expect(sampler.functionEvaluations(steps: steps) == expected)
        }
    }

    @Test("a one-step schedule [σ, 0] returns D(x; σ), finite", arguments: KDiffusionSampler.allCases)
    func oneStep(sampler: KDiffusionSampler) throws {
        for sigma in [80.0, 1.0, 0.002] {
            let x = try Self.run(sampler, sigmas: [sigma, 0]).x
            let expected = try Self.gaussian.denoise(Self.start * sigma, sigma: sigma)
            #expect(x.isFinite)
            #expect(KDiff.maxAbsDifference(x, (0..<3).map { Array(expected.row($0)) }) <= 1e-12 * max(1, sigma))
            if [.dpmpp2M, .dpmpp2MSDE, .dpmpp3MSDE].contains(sampler) { #expect(x == expected) }
            var zeros = KDiff.ZeroNoise<Float>()
            let xFloat = try sampler.sample(SamplingModel(KDiff.GaussianDenoiser<Float>(variance: 1, dimension: 2)),
                                            from: Self.start.converted(to: Float.self) * Float(sigma),
                                            sigmas: [Float(sigma), 0], noise: &zeros)
            #expect(xFloat.isFinite)
        }
    }

    @Test("the observer sees each step once, with σᵢ and σ̂ = σᵢ", arguments: KDiffusionSampler.allCases)
    func observer(sampler: KDiffusionSampler) throws {
        let sigmas = KDiff.karrasSigmas(steps: 6)
        var events: [StepEvent<Double>] = []
        let x = try Self.run(sampler, sigmas: sigmas) { events.append($0) }.x
        #expect(events.map(\.step) == Array(0..<6))
        #expect(events.map(\.sigma) == Array(sigmas.dropLast()))
        #expect(events.map(\.sigmaHat) == Array(sigmas.dropLast()))
        #expect(events.first?.x == Self.start * sigmas[0])
        #expect(x.isFinite)
    }

    @Test("churn: σ̂ = σ(1 + γ) inside [s_tmin, s_tmax], γ = min(S_churn/N, √2 − 1), one draw every step",
          arguments: [KDiffusionSampler.euler, .heun, .dpm2])
    func churn(sampler: KDiffusionSampler) throws {
        let sigmas = KDiff.karrasSigmas(steps: 25)
        let churn = Churn<Double>(sChurn: 10, sTmin: 0.05, sTmax: 50)
        var events: [StepEvent<Double>] = []
        let draws = try Self.run(sampler, sigmas: sigmas, options: .init(churn: churn)) { events.append($0) }.draws
        #expect(draws.count == 25)
        #expect(draws.map(\.sigma) == Array(sigmas.dropLast()))
        for (e, sigma) in zip(events, sigmas) {
            #expect(e.sigmaHat == ((0.05...50).contains(sigma) ? sigma * 1.4 : sigma))
        }
        #expect(Churn<Double>(sChurn: 100).gamma(sigma: 1, steps: 10) == 2.0.squareRoot() - 1)
        #expect(churn.gamma(sigma: 60, steps: 25) == 0)
    }

    @Test("the draws and their (σ, σ′) labels, in k-diffusion's order")
    func drawOrder() throws {
        let sigmas = KDiff.karrasSigmas(steps: 5)
        let steps = Array(zip(sigmas.dropLast(), sigmas.dropFirst()))
        let nonFinal = Array(steps.dropLast())
        func pairs(_ d: [(sigma: Double, sigmaNext: Double)]) -> [[Double]] { d.map { [$0.sigma, $0.sigmaNext] } }
        for sampler in [KDiffusionSampler.eulerAncestral, .dpm2Ancestral, .dpmpp2SAncestral, .dpmpp2MSDE, .dpmpp3MSDE] {
            #expect(pairs(try Self.run(sampler, sigmas: sigmas).draws) == nonFinal.map { [$0.0, $0.1] }, "\(sampler)")
        }
        // dpmpp_sde: (σᵢ, √(σᵢσᵢ₊₁)) then (σᵢ, σᵢ₊₁) on every step but the last, also with η = 0.
        for eta in [1.0, 0.0] {
            let draws = try Self.run(.dpmppSDE, sigmas: sigmas, options: .init(eta: eta)).draws
            let expected = nonFinal.flatMap { [[$0.0, ($0.0 * $0.1).squareRoot()], [$0.0, $0.1]] }
            #expect(draws.count == expected.count)
            for (d, e) in zip(pairs(draws), expected) {
                #expect(d[0] == e[0] && abs(d[1] - e[1]) <= 1e-13 * e[1])
            }
        }
        // The multistep SDEs draw nothing at η = 0; the ODE samplers never draw.
        for sampler in [KDiffusionSampler.dpmpp2MSDE, .dpmpp3MSDE, .euler, .heun, .dpm2, .lms, .dpmpp2M] {
            #expect(try Self.run(sampler, sigmas: sigmas, options: .init(eta: 0)).draws.isEmpty, "\(sampler)")
        }
    }

    @Test("η = 0 makes the ancestral and SDE samplers deterministic: the draws do not matter")
    func etaZero() throws {
        let sigmas = KDiff.karrasSigmas(steps: 8)
        for sampler in [KDiffusionSampler.eulerAncestral, .dpm2Ancestral, .dpmpp2SAncestral, .dpmppSDE] {
            let model = SamplingModel(Self.gaussian)
            var zeros = KDiff.ZeroNoise<Double>()
            let withZeros = try sampler.sample(model, from: Self.start * 80, sigmas: sigmas, options: .init(eta: 0), noise: &zeros)
            let withNoise = try Self.run(sampler, sigmas: sigmas, options: .init(eta: 0)).x
            #expect(withZeros == withNoise, "\(sampler)")
        }
        // η = 0 ancestral Euler is Euler.
        #expect(try Self.run(.eulerAncestral, sigmas: sigmas, options: .init(eta: 0)).x == Self.run(.euler, sigmas: sigmas).x)
    }

    /// Observed order p from the errors at N and 2N steps (log-uniform σ from 10 to 0.05, no final 0,
    /// so that the error is the solver's alone): e(N)/e(2N) → 2^p.
    static func observedOrder(_ sampler: KDiffusionSampler, steps: Int) throws -> Double {
        func error(_ n: Int) throws -> Double {
            let sigmas = (0...n).map { i in 10 * Double.pow(0.05 / 10, Double(i) / Double(n)) }
            let x = try run(sampler, sigmas: sigmas).x
            let exact = gaussian.exactSolution(start * 10, from: 10, to: 0.05)
            return zip(x.scalars, exact.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
        }
        return Double.log2(try error(steps) / error(2 * steps))
    }

    @Test("convergence order on a Gaussian: euler 1, heun 2, dpm_2 2, dpmpp_2m 2")
    func convergenceOrder() throws {
        let euler = try Self.observedOrder(.euler, steps: 64)
        let heun = try Self.observedOrder(.heun, steps: 32)
        let dpm2 = try Self.observedOrder(.dpm2, steps: 32)
        let dpmpp2M = try Self.observedOrder(.dpmpp2M, steps: 32)
        #expect(abs(euler - 1) < 0.1, "euler \(euler)")
        #expect(abs(heun - 2) < 0.15, "heun \(heun)")
        #expect(abs(dpm2 - 2) < 0.15, "dpm_2 \(dpm2)")
        #expect(abs(dpmpp2M - 2) < 0.2, "dpmpp_2m \(dpmpp2M)")
    }

    @Test("LMS coefficients on equal steps are Adams–Bashforth's")
    func adamsBashforth() {
        let sigmas = [10.0, 9, 8, 7, 6, 0]
        let ab: [[Double]] = [[1], [3.0 / 2, -1.0 / 2], [23.0 / 12, -16.0 / 12, 5.0 / 12],
                              [55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24]]
        for order in 1...4 {
            let c = linearMultistepCoefficients(sigmas, step: 3, order: order)
            for (got, b) in zip(c, ab[order - 1]) { #expect(abs(got - (-1) * b) < 1e-13, "order \(order)") }
        }
        // The coefficients integrate the constant slope exactly: they sum to h.
        let c = linearMultistepCoefficients(sigmas, step: 4, order: 4)
        #expect(abs(c.reduce(0, +) - (-6)) < 1e-12)
    }

    @Test("float and double runs agree to float precision", arguments: KDiffusionSampler.allCases)
    func floatPrecision(sampler: KDiffusionSampler) throws {
        let sigmas = KDiff.karrasSigmas(steps: 10)
        var zeros = KDiff.ZeroNoise<Double>()
        var zerosFloat = KDiff.ZeroNoise<Float>()
        let double = try sampler.sample(SamplingModel(Self.gaussian), from: Self.start * 80, sigmas: sigmas, noise: &zeros)
        let float = try sampler.sample(SamplingModel(KDiff.GaussianDenoiser<Float>(variance: 1, dimension: 2)),
                                       from: Self.start.converted(to: Float.self) * 80,
                                       sigmas: sigmas.map { Float($0) }, noise: &zerosFloat)
        #expect(zip(float.scalars, double.scalars).allSatisfy { abs(Double($0) - $1) < 1e-4 }, "\(sampler)")
    }
}
