import Foundation
import ScoreKitSamplers
import Testing

/// The score-SDE samplers on Gaussian data N(μ, s² I), where the score is exact and the moments of
/// the discretised chains follow scalar recursions.
@Suite("Score-SDE samplers: Euler–Maruyama, predictor–corrector, annealed Langevin")
struct SDESamplerTests {
    let mean = [1.0, -2.0]
    let std = 0.5
    var data: RefIsotropicGaussian<Double> { RefIsotropicGaussian(mean: mean, std: std) }

    /// n standard-normal start rows scaled by σ₀ (seeded, independent of the samplers' noise).
    func start(_ n: Int, sigma: Double) throws -> Matrix<Double> {
        var z = try PerSampleNoiseSource<Double>(seed: 1000)
        return try z.next(rows: n, columns: 2, sigma: 0, sigmaNext: 0) * sigma
    }

    /// Per-coordinate mean offset and variance of x − μ after Euler–Maruyama on the schedule,
    /// from x₀ = σ₀ z: each step maps c ↦ a·c + √(σ² − σ_next²)·z with a = r + (1 − r)·k,
    /// r = σ_next²/σ², k = s²/(s² + σ²); the final step to 0 maps c ↦ k·c.
    func eulerMaruyamaMoments(_ sigmas: [Double]) -> (offset: Double, variance: Double) {
        var (m, v) = (1.0, sigmas[0] * sigmas[0])   // offset as a multiple of −μ
        for (sigma, next) in zip(sigmas, sigmas.dropFirst()) {
            let k = std * std / (std * std + sigma * sigma)
            let a = next == 0 ? k : (next * next) / (sigma * sigma) * (1 - k) + k
            m *= a
            v = a * a * v + (sigma * sigma - next * next)
        }
        return (m, v)
    }

    func expectMoments(_ x: Matrix<Double>, mean expectedMean: [Double], variance: Double, slack: Double = 0,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let n = Double(x.rows)
        let (m, v) = refColumnMoments(x)
        for j in 0..<2 {
            #expect(abs(m[j] - expectedMean[j]) < 5 * (variance / n).squareRoot() + slack,
                    "mean \(m[j]) vs \(expectedMean[j])", sourceLocation: sourceLocation)
            #expect(abs(v[j] - variance) < 5 * variance * (2 / n).squareRoot() + slack,
                    "variance \(v[j]) vs \(variance)", sourceLocation: sourceLocation)
        }
    }

    @Test("Euler–Maruyama samples have the moments of the discretised chain, close to the data's")
    func eulerMaruyamaMomentsMatch() throws {
        let sigmas = refKarrasSigmas(100, sigmaMin: 0.002, sigmaMax: 80.0)
        var noise = try PerSampleNoiseSource<Double>(seed: 1)
        let model = SamplingModel(data)
        let out = try sampleEulerMaruyama(model, from: start(5000, sigma: 80), sigmas: sigmas, noise: &noise)
        let (offset, variance) = eulerMaruyamaMoments(sigmas)
        expectMoments(out, mean: mean.map { $0 * (1 - offset) }, variance: variance)
        // Reverse diffusion on a coarse schedule adds too much noise (0.365 on 30 steps, 0.279 on 100).
        #expect(abs(variance - std * std) < 0.12 * std * std)
        #expect(model.nfe == 100)
        #expect(noise.drawsUsed == 99)
    }

    @Test("pc without corrector steps is Euler–Maruyama, draw for draw")
    func pcWithoutCorrector() throws {
        let sigmas = refKarrasSigmas(12, sigmaMin: 0.01, sigmaMax: 20.0)
        let x0 = try start(50, sigma: 20)
        var a = try PerSampleNoiseSource<Double>(seed: 4)
        var b = try PerSampleNoiseSource<Double>(seed: 4)
        let em = try sampleEulerMaruyama(SamplingModel(data), from: x0, sigmas: sigmas, noise: &a)
        let pc = try samplePredictorCorrector(SamplingModel(data), from: x0, sigmas: sigmas,
                                              options: .init(correctorSteps: 0), noise: &b)
        #expect(em == pc)
    }

    @Test("pc samples match the data distribution: Euler predictor with batch-mean (2-D) or per-sample (64-D) norms")
    func pcMoments() throws {
        let sigmas = refKarrasSigmas(25, sigmaMin: 0.002, sigmaMax: 80.0)
        var noise = try PerSampleNoiseSource<Double>(seed: 2)
        let model = SamplingModel(data)
        let options = PredictorCorrectorOptions<Double>(predictor: .euler, correctorSteps: 2, normScope: .batchMean)
        let out = try samplePredictorCorrector(model, from: start(4000, sigma: 80), sigmas: sigmas,
                                               options: options, noise: &noise)
        expectMoments(out, mean: mean, variance: std * std, slack: 0.01)
        #expect(model.nfe == 25 * 3)
        #expect(noise.drawsUsed == 25 * 2)

        let wide = RefIsotropicGaussian<Double>(mean: Array(repeating: 1, count: 64), std: std)
        var z = try PerSampleNoiseSource<Double>(seed: 1000)
        let x0 = try z.next(rows: 300, columns: 64, sigma: 0, sigmaNext: 0) * 80
        var wideNoise = try PerSampleNoiseSource<Double>(seed: 2)
        let wideOut = try samplePredictorCorrector(SamplingModel(wide), from: x0, sigmas: sigmas,
                                                   options: .init(predictor: .euler, correctorSteps: 2), noise: &wideNoise)
        let (m, v) = refColumnMoments(wideOut)
        #expect(abs(m.reduce(0, +) / 64 - 1) < 0.01)
        #expect(abs(v.reduce(0, +) / 64 - std * std) < 0.08 * std * std)
    }

    @Test("pc with the reverse-diffusion predictor ends near the data distribution, biased like Euler–Maruyama")
    func pcReverseDiffusion() throws {
        var noise = try PerSampleNoiseSource<Double>(seed: 2)
        let options = PredictorCorrectorOptions<Double>(correctorSteps: 1, normScope: .batchMean)
        let out = try samplePredictorCorrector(SamplingModel(data), from: start(2000, sigma: 80),
                                               sigmas: refKarrasSigmas(25, sigmaMin: 0.002, sigmaMax: 80.0),
                                               options: options, noise: &noise)
        expectMoments(out, mean: mean, variance: std * std, slack: 0.06)
        #expect(noise.drawsUsed == 25 + 24)
    }

    @Test("the Langevin corrector steps by ε = 2(snr‖z‖/‖s‖)², per sample or with batch-mean norms",
          arguments: [LangevinNormScope.perSample, .batchMean])
    func correctorStepSize(scope: LangevinNormScope) throws {
        let (sigma, snr) = (0.7, 0.3)
        let x = Matrix<Double>(rowArrays: [[0.2, 0.4], [3, -1], [1, -2.5]])
        let z = Matrix<Double>(rowArrays: [[1.5, -0.2], [0.1, 0.3], [-2, 1]])
        var noise = try ReplayNoiseSource<Double>(values: z.scalars, count: 1, rows: 3, columns: 2)
        var observed: [StepEvent<Double>] = []
        let model = SamplingModel(data) { observed.append($0) }
        let options = PredictorCorrectorOptions<Double>(correctorSteps: 1, snr: snr, normScope: scope)
        _ = try samplePredictorCorrector(model, from: x, sigmas: [sigma, 0], options: options, noise: &noise)
        // s = −(x − μ)/(s² + σ²) for Gaussian data.
        let score = (0..<3).map { r in (0..<2).map { j in -(x[r, j] - mean[j]) / (std * std + sigma * sigma) } }
        let scoreNorms = score.map { ($0[0] * $0[0] + $0[1] * $0[1]).squareRoot() }
        let noiseNorms = (0..<3).map { r in (z[r, 0] * z[r, 0] + z[r, 1] * z[r, 1]).squareRoot() }
        let eps: [Double] = scope == .perSample
            ? (0..<3).map { 2 * pow(snr * noiseNorms[$0] / scoreNorms[$0], 2) }
            : Array(repeating: 2 * pow(snr * (noiseNorms.reduce(0, +) / 3) / (scoreNorms.reduce(0, +) / 3), 2), count: 3)
        let expected = Matrix<Double>(rows: 3, columns: 2) { r, j in x[r, j] + eps[r] * score[r][j] + (2 * eps[r]).squareRoot() * z[r, j] }
        let event = try #require(observed.first)
        #expect(observed.count == 1)
        #expect(refMaxAbsDifference(event.x, expected) < 1e-12)
    }

    @Test("per-sample corrector norms keep a sample's path independent of its batch; batch-mean ones do not")
    func pcBatchIndependence() throws {
        let sigmas = refKarrasSigmas(6, sigmaMin: 0.05, sigmaMax: 10.0)
        let x0 = try start(10, sigma: 10)
        func run(_ rows: Int, _ scope: LangevinNormScope) throws -> Matrix<Double> {
            var noise = try PerSampleNoiseSource<Double>(seed: 6)
            return try samplePredictorCorrector(SamplingModel(data), from: x0.rows(0..<rows), sigmas: sigmas,
                                                options: .init(normScope: scope), noise: &noise).rows(0..<4)
        }
        #expect(try run(4, .perSample) == run(10, .perSample))
        #expect(try run(4, .batchMean) != run(10, .batchMean))
    }

    @Test("Langevin at a fixed level converges to N(μ, (s² + σ²)I), up to the step's O(α) bias")
    func langevinStationary() throws {
        let sigma = 0.3
        let tau = std * std + sigma * sigma
        let alpha = 0.1 * tau
        var noise = try PerSampleNoiseSource<Double>(seed: 3)
        var events = 0
        let model = SamplingModel(data) { e in events += 1; #expect(e.sigma == sigma) }
        let options = AnnealedLangevinOptions<Double>(stepSize: alpha, stepsPerLevel: 80, finalDenoise: false)
        let out = try sampleAnnealedLangevin(model, from: start(8000, sigma: 1), sigmas: [sigma], options: options, noise: &noise)
        // c ↦ (1 − α/τ)c + √(2α)z has stationary variance τ/(1 − α/(2τ)).
        let stationary = tau / (1 - alpha / (2 * tau))
        expectMoments(out, mean: mean, variance: stationary)
        #expect(abs(stationary - tau) < 0.06 * tau)
        #expect(model.nfe == 80 && events == 80)
    }

    @Test("annealed Langevin over a geometric list ends near the data distribution; NFE = L·T + 1")
    func annealedLangevin() throws {
        let levels = (0..<10).map { 10 * pow(0.01 / 10, Double($0) / 9) }
        var noise = try PerSampleNoiseSource<Double>(seed: 5)
        var sigmasSeen: [Double] = []
        let model = SamplingModel(data) { sigmasSeen.append($0.sigma) }
        let options = AnnealedLangevinOptions<Double>(stepSize: 2e-5, stepsPerLevel: 30)
        let out = try sampleAnnealedLangevin(model, from: start(2000, sigma: 10), sigmas: levels, options: options, noise: &noise)
        #expect(model.nfe == 10 * 30 + 1)
        #expect(sigmasSeen == levels.flatMap { Array(repeating: $0, count: 30) })
        expectMoments(out, mean: mean, variance: std * std, slack: 0.02)
    }

    @Test("Euler–Maruyama driven by one Brownian tree converges as the schedule is refined")
    func brownianRefinement() throws {
        let x0 = try start(200, sigma: 10)
        func run(_ n: Int) throws -> Matrix<Double> {
            var tree = try BrownianTreeNoiseSource<Double>(seed: 8, sigmaMin: 0.01, sigmaMax: 10, clock: .sigmaSquared)
            let sigmas = (0..<n).map { 10 * pow(0.001, Double($0) / Double(n - 1)) } + [0]
            return try sampleEulerMaruyama(SamplingModel(data), from: x0, sigmas: sigmas, noise: &tree)
        }
        let outs = try [16, 32, 64, 128].map(run)
        let gaps = zip(outs, outs.dropFirst()).map { ($0 - $1).norm() }
        #expect(gaps[1] < 0.8 * gaps[0] && gaps[2] < 0.8 * gaps[1], "gaps \(gaps)")
        // Independent draws per step do not converge: the gap stays of the order of the spread.
        var a = try PerSampleNoiseSource<Double>(seed: 8)
        var b = try PerSampleNoiseSource<Double>(seed: 9)
        let sigmas = (0..<128).map { 10 * pow(0.001, Double($0) / 127) } + [0]
        let indep = try (sampleEulerMaruyama(SamplingModel(data), from: x0, sigmas: sigmas, noise: &a)
                         - sampleEulerMaruyama(SamplingModel(data), from: x0, sigmas: sigmas, noise: &b)).norm()
        #expect(gaps[2] < 0.2 * indep)
    }

    @Test("Float runs see the Double runs' noise rounded and end close to them", arguments: [ReferenceSamplerName.eulerMaruyama, .pc, .ald])
    func floatMatchesDouble(name: ReferenceSamplerName) throws {
        func run<Scalar: MatrixScalar>(_: Scalar.Type) throws -> Matrix<Double> {
            let data = RefIsotropicGaussian<Scalar>(mean: [1, -2], std: 0.5)
            var z = try PerSampleNoiseSource<Scalar>(seed: 1000)
            let x0 = try z.next(rows: 64, columns: 2, sigma: 0, sigmaNext: 0) * 10
            var noise = try PerSampleNoiseSource<Scalar>(seed: 12)
            let sigmas = refKarrasSigmas(10, sigmaMin: Scalar(0.01), sigmaMax: 10)
            let model = SamplingModel(data)
            let out: Matrix<Scalar>
            switch name {
            case .eulerMaruyama: out = try sampleEulerMaruyama(model, from: x0, sigmas: sigmas, noise: &noise)
            case .pc: out = try samplePredictorCorrector(model, from: x0, sigmas: sigmas, noise: &noise)
            default: out = try sampleAnnealedLangevin(model, from: x0, sigmas: Array(sigmas.dropLast()),
                                                      options: .init(stepSize: 2e-5, stepsPerLevel: 3), noise: &noise)
            }
            return out.converted(to: Double.self)
        }
        let (f, d) = (try run(Float.self), try run(Double.self))
        #expect(f.isFinite && refMaxAbsDifference(f, d) < 1e-3)
    }

    @Test("one-step schedules return D; bad input and Brownian noise for a corrector are typed errors")
    func edgeCases() throws {
        let x0 = try start(4, sigma: 5)
        var noise = try PerSampleNoiseSource<Double>(seed: 1)
        let em = try sampleEulerMaruyama(SamplingModel(data), from: x0, sigmas: [5, 0], noise: &noise)
        #expect(em == (try data.denoise(x0, sigma: 5)))
        let pc = try samplePredictorCorrector(SamplingModel(data), from: x0, sigmas: [5, 0], noise: &noise)
        #expect(pc.isFinite)
        let ald = try sampleAnnealedLangevin(SamplingModel(data), from: x0, sigmas: [5], options: .init(stepsPerLevel: 1), noise: &noise)
        #expect(ald.isFinite)
        #expect(throws: SamplingError.self) {
            try sampleAnnealedLangevin(SamplingModel(data), from: x0, sigmas: [5, 1, 0], noise: &noise)
        }
        #expect(throws: SamplingError.self) {
            try sampleAnnealedLangevin(SamplingModel(data), from: x0, sigmas: [1, 5], noise: &noise)
        }
        #expect(throws: SamplingError.self) {
            try samplePredictorCorrector(SamplingModel(data), from: x0, sigmas: [5, 1, 0], options: .init(snr: -1), noise: &noise)
        }
        var none = NoNoise<Double>()
        #expect(throws: SamplingError.self) {
            try sampleEulerMaruyama(SamplingModel(data), from: x0, sigmas: [5, 1, 0], noise: &none)
        }
        var tree = try BrownianTreeNoiseSource<Double>(seed: 1, sigmaMin: 1, sigmaMax: 5)
        #expect(throws: SamplingError.self) {
            try samplePredictorCorrector(SamplingModel(data), from: x0, sigmas: [5, 1, 0], noise: &tree)
        }
    }
}
