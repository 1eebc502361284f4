import Foundation
import ScoreKit

/// One data set of `scorekit demo`: a small EDM denoiser trained on the training rows (a seeded
/// 10 % held out), then sampled with each demo sampler next to the exact empirical denoiser of
/// the same training rows, from the same start noise, and both scored against reference data.
struct DemoRun {
    /// The samplers of the demo, at the same budget of 35 denoiser evaluations on Karras σ
    /// (0.002…80): Heun's 2nd order (EDM's choice, 18 steps), DPM-Solver++(2M) (35 steps) and
    /// the stochastic Euler ancestral (35 steps).
    static let samplers: [(name: SamplerName, steps: Int)] = [
        (.kdiffusion(.heun), 18), (.kdiffusion(.dpmpp2M), 35), (.kdiffusion(.eulerAncestral), 35),
    ]

    /// One sampled set and its scores.
    struct Samples {
        let model: String
        let sampler: String
        let nfe: Int
        let x: Matrix<Float>
        let metrics: MetricsReport
    }

    let name: String
    let training: Matrix<Float>
    let heldOut: Matrix<Float>
    let curve: LossCurve
    let trainSeconds: Double
    let trainer: Trainer<Float>
    let samples: [Samples]

    static let trainedName = "trained MLP"
    static let exactName = "exact empirical"

    /// Trains on `data` (minus the held-out rows) and samples both denoisers with every demo sampler.
    init(name: String, data: Matrix<Float>, reference: Matrix<Float>, configuration: TrainingConfiguration,
         sampleCount: Int, evalRows: Int, quiet: Bool) throws {
        self.name = name
        let split = try HoldoutSplit(rowCount: data.rows, fraction: 0.1, seed: configuration.seed)
        training = data.rows(at: split.training)
        heldOut = data.rows(at: split.heldOut)
        let started = Date()
        let monitor = try HeldOutMonitor(heldOut: heldOut, training: training, configuration: configuration, maxRows: evalRows)
        var loop = TrainingLoop(trainer: try Trainer(configuration: configuration, data: training), monitor: monitor,
                                logEvery: 10, evalEvery: max(configuration.steps / 10, 1))
        try loop.run(label: "training (\(name))", quiet: quiet)
        trainer = loop.trainer
        curve = loop.curve
        trainSeconds = Date().timeIntervalSince(started)

        let learned = try trainer.emaDenoiser
        let exact = try EmpiricalDenoiser(data: training)
        // Start noise and sampler draws on a seed of their own, independent of the training noise.
        let sampleSeed = configuration.seed &+ 1
        var samples = [Samples]()
        for (sampler, steps) in Self.samplers {
            let sigmas = try Schedule<Float>.karras(steps: steps, sigmaMin: 0.002, sigmaMax: 80).sigmas
            let start = CounterNormalRNG(seed: sampleSeed).normals(rows: sampleCount, columns: data.columns, draw: 0,
                                                                            as: Float.self) * sigmas[0]
            for (model, denoiser) in [(Self.trainedName, learned as any Denoiser<Float>), (Self.exactName, exact)] {
                let (x, nfe) = try Self.sample(denoiser, with: sampler, from: start, sigmas: sigmas, seed: sampleSeed)
                let metrics = try MetricsReport.evaluate(samples: x, reference: reference, train: training, seed: configuration.seed)
                samples.append(Samples(model: model, sampler: sampler.rawValue, nfe: nfe, x: x, metrics: metrics))
            }
        }
        self.samples = samples
    }

    /// The samples and the number of denoiser evaluations; stochastic draws k ≥ 1 of each sample come from `seed`.
    private static func sample<D: Denoiser<Float>>(_ denoiser: D, with sampler: SamplerName, from start: Matrix<Float>,
                                                   sigmas: [Float], seed: UInt64) throws -> (Matrix<Float>, Int) {
        var noise = try PerSampleNoiseSource<Float>(seed: seed, firstDraw: 1)
        let model = SamplingModel(denoiser)
        return (try sampler.sample(model, from: start, sigmas: sigmas, noise: &noise), model.nfe)
    }

    /// The samples of `model` with `sampler`.
    func samples(model: String, sampler: String) -> Samples? {
        samples.first { $0.model == model && $0.sampler == sampler }
    }

    /// The table rows: model, sampler, NFE, MMD, FD, precision, recall, memorised, NN distance.
    var tableRows: [[String]] {
        samples.map { s in
            let m = s.metrics
            return [s.model, s.sampler, String(s.nfe), Self.format(m.mmd), Self.format(m.fd), Self.format(m.precision),
                    Self.format(m.recall), Self.format(m.memorization ?? .nan), Self.format(m.nnDistance ?? .nan)]
        }
    }

    static let tableHeader = ["model", "sampler", "NFE", "MMD", "FD", "precision", "recall", "memorised", "NN distance"]

    /// `trained_heun`, `exact_dpmpp_2m`, …: how the demo's files name a model and sampler.
    static func fileName(model: String, sampler: String) -> String {
        (model == trainedName ? "trained_" : "exact_") + sampler
    }

    static func format(_ v: Double) -> String { String(format: "%.4g", v) }
}
