import Foundation
import Testing
@testable import ScoreKitDiffusion

/// Standard-normal draws for tests: SplitMix64 and Box–Muller (deterministic, seedable).
struct TestNormals {
    var state: UInt64

    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (Double((z ^ (z >> 31)) >> 11) + 0.5) * 0x1p-53
    }

    mutating func matrix(rows: Int, columns: Int) -> Matrix<Double> {
        Matrix(rows: rows, columns: columns) { _, _ in
            (-2 * Double.log(uniform())).squareRoot() * Double.cos(2 * Double.pi * uniform())
        }
    }
}

func maxDifference(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double { (a - b).maxAbs() }

@Suite struct ProcessTests {
    @Test func vpProcessClosedForms() throws {
        let p = try VPProcess<Double>()
        for t in stride(from: 1e-3, through: 1.0, by: 0.037) {
            let a = p.alpha(t), s = p.sigma(t)
            #expect(Swift.abs(a * a + s * s - 1) < 1e-15)
            #expect(Swift.abs(p.veSigma(t) - s / a) <= 1e-13 * p.veSigma(t))
            #expect(Swift.abs(p.time(forVESigma: p.veSigma(t)) - t) < 1e-12)
            // d ln α/dt = −½ β(t), by central differences.
            let h = 1e-6
            let slope = (Double.log(p.alpha(t + h)) - Double.log(p.alpha(t - h))) / (2 * h)
            #expect(Swift.abs(slope + p.beta(t) / 2) < 1e-6)
        }
        // The VE noise levels are k-diffusion's VP schedule.
        let schedule = try Schedule<Double>.vp(steps: 7)
        for (i, t) in TorchCPUKernels.linspace(1, 1e-3, 7).enumerated() {
            #expect(Swift.abs(schedule.sigmas[i] - p.veSigma(t)) <= 1e-12 * schedule.sigmas[i])
        }
        // β_d = 0: constant β, σ_VE² = e^{β t} − 1.
        let flat = try VPProcess<Float>(betaD: 0, betaMin: 2)
        #expect(Swift.abs(flat.time(forVESigma: (Float.exp(1) - 1).squareRoot()) - 0.5) < 1e-6)
        #expect(throws: ScheduleError.self) { try VPProcess<Double>(betaD: 0, betaMin: 0) }
        #expect(throws: ScheduleError.self) { try VPProcess<Double>(betaD: .nan) }
        #expect(try JSONDecoder().decode(VPProcess<Double>.self, from: JSONEncoder().encode(p)) == p)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(VPProcess<Double>.self, from: Data(#"{"betaD": -1, "betaMin": 0.1}"#.utf8))
        }
    }

    @Test func vpAndVEAreOneChangeOfVariables() throws {
        var rng = TestNormals(state: 7)
        let x0 = rng.matrix(rows: 5, columns: 3), eps = rng.matrix(rows: 5, columns: 3)
        let p = try VPProcess<Double>()
        for t in [0.01, 0.3, 0.9] {
            let level = p.noiseLevel(at: t)
            let xvp = level.perturb(x0, noise: eps)
            // x_vp = α (x₀ + σ_ve ε): the VE state is x_vp/α with σ_ve = σ/α.
            let xve = VENoise.perturb(x0, sigma: level.veSigma, noise: eps)
            #expect(maxDifference(level.veState(fromVP: xvp), xve) < 1e-12)
            #expect(maxDifference(level.vpState(fromVE: xve), xvp) < 1e-12)
            // Back: the VP level of σ_ve is (α, σ) again.
            let back = VPNoiseLevel<Double>(veSigma: level.veSigma)
            #expect(Swift.abs(back.alpha - level.alpha) < 1e-14 && Swift.abs(back.sigma - level.sigma) < 1e-14)
            #expect(Swift.abs(level.logSNR + 2 * Double.log(level.veSigma)) < 1e-12)
        }
    }

    struct DDPMFile: Decodable {
        let beta_start: Double
        let beta_end: Double
        let count: Int
        let alphas_cumprod: EncodedValues
        let sigmas: EncodedValues
    }

    @Test func ddpmNoiseLevelsMatchTorch() throws {
        let file = try Fixture.load("torch_ddpm_sigmas", as: DDPMFile.self)
        let levels = try DDPMNoiseLevels<Double>(.linear(start: file.beta_start, end: file.beta_end), count: file.count)
        #expect(levels.alphasCumprod == (try file.alphas_cumprod.exact()))
        // torch's `** 0.5` is MKL's sqrt: one ulp at most.
        let sigmas = try file.sigmas.exact()
        #expect(zip(levels.sigmas, sigmas).allSatisfy { ulps($0, $1) <= 1 })
        #expect(zip(levels.sigmas, levels.sigmas.dropFirst()).allSatisfy { $0 < $1 })
        // σ₀ = √(β₀/(1 − β₀)) up to the cancellation in 1 − ᾱ₀ that torch's formula has too.
        #expect(Swift.abs(levels.sigmas[0] / (1e-4 / (1 - 1e-4)).squareRoot() - 1) < 1e-11)
        let level = levels.noiseLevel(at: 500)
        #expect(Swift.abs(level.veSigma - levels.sigmas[500]) < 1e-12 * levels.sigmas[500])

        // Stable Diffusion's scaled-linear β: √β evenly spaced.
        let sd = try DDPMNoiseLevels<Float>(BetaSchedule.stableDiffusion, count: 1000)
        #expect(Swift.abs(sd.betas[0] - 0.00085) < 1e-9 && Swift.abs(sd.betas[999] - 0.012) < 1e-8)
        let rootStart = Float(0.00085).squareRoot(), rootEnd = Float(0.012).squareRoot()
        let rootMiddle: Float = rootStart + 500 * (rootEnd - rootStart) / 999
        #expect(Swift.abs(sd.betas[500].squareRoot() - rootMiddle) < 1e-7)
        #expect(throws: ScheduleError.self) { try DDPMNoiseLevels<Double>(betas: [0.1, 1.0]) }
        #expect(throws: ScheduleError.self) { try DDPMNoiseLevels<Double>(betas: []) }
        #expect(throws: ScheduleError.self) { try DDPMNoiseLevels<Double>(.ddpm, count: 0) }
    }
}
