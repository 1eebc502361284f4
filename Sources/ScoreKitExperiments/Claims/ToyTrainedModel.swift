import Foundation

/// A small network trained on a low-dimensional data set (K4, T1, T2), cached in the context's
/// cache folder so that a second `scorekit reproduce` run does not retrain.
///
/// A run is identified by its `TrainingConfiguration` and its data (`DataFingerprint`); its
/// checkpoints are `toy-<key>-step<k>.safetensors`, written atomically by `Checkpoint.write`. A
/// checkpoint is reused only if its stored configuration, data fingerprint and step match; a later
/// checkpoint of the same run resumes from the latest earlier one (bit for bit the uninterrupted
/// run, see `Trainer`). Training is in Float (the toy models are small; Float halves the GEMM
/// time), evaluation in Double (the checkpoint loader converts).
struct ToyTrainedModel {
    let configuration: TrainingConfiguration
    let data: Matrix<Float>
    let cacheFolder: URL

    /// A toy residual MLP of `width` (2 blocks, Fourier noise input with FiLM; none when `multiplicative`).
    static func network(dimension: Int, width: Int, multiplicative: Bool,
                        activation: ActivationFunction = .silu) -> MLPDenoiserNetConfiguration {
        MLPDenoiserNetConfiguration(dataDimension: dimension, width: width, depth: 2, activation: activation,
                                    noiseInput: multiplicative ? .none : .fourier(channels: 32, scale: 16),
                                    conditioning: multiplicative ? .concatenation : .film)
    }

    /// The configuration the toy claims share: Adam at a constant learning rate, EMA 0.995 (a short
    /// half-life of ~140 steps, so the average is meaningful after a thousand steps).
    static func configuration(network: MLPDenoiserNetConfiguration, parameterization: NetworkParameterization,
                              noise: NoiseDistribution, weighting: LossWeighting, steps: Int, batchSize: Int = 256,
                              learningRate: Double = 1e-3, seed: UInt64) throws -> TrainingConfiguration {
        TrainingConfiguration(model: network, parameterization: parameterization, noiseDistribution: noise, weighting: weighting,
                              batchSize: batchSize, steps: steps, learningRate: try LearningRateSchedule(base: learningRate),
                              emaDecay: 0.995, seed: seed)
    }

    /// A short hexadecimal key of the configuration and the data (FNV-1a of the configuration's JSON
    /// and the data checksum).
    var key: String {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var h: UInt64 = DataFingerprint(data).checksum
            for byte in try encoder.encode(configuration) { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return String(h, radix: 16)
        }
    }

    func url(step: Int) throws -> URL {
        cacheFolder.appendingPathComponent("toy-\(try key)-step\(step).safetensors")
    }

    /// The cached checkpoint at `step`, if it exists and belongs to this run.
    func cached(step: Int) throws -> Checkpoint<Float>? {
        let url = try url(step: step)
        guard FileManager.default.fileExists(atPath: url.path),
              let checkpoint = try? Checkpoint<Float>.read(from: url),
              checkpoint.configuration == configuration, checkpoint.data == DataFingerprint(data), checkpoint.step == step
        else { return nil }
        return checkpoint
    }

    /// The denoisers of the run at each of `steps` (ascending or not; each ≤ the configured total),
    /// with the chosen weights, training (or resuming) only what is not cached.
    func denoisers(at steps: [Int], weights: CheckpointWeights) throws -> [Int: NetworkDenoiser<Double>] {
        guard steps.allSatisfy({ (0...configuration.steps).contains($0) }) else {
            throw ExperimentError.failed(id: "toy model", reason: "checkpoint steps \(steps) outside 0…\(configuration.steps)")
        }
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        var trainer: Trainer<Float>?
        var result = [Int: NetworkDenoiser<Double>]()
        var previous: Int?
        for step in Set(steps).sorted() {
            if try cached(step: step) == nil {
                // Resume from the previous (now cached) checkpoint of this run, else start afresh.
                var t = try trainer ?? previous.flatMap { try cached(step: $0) }.map { try Trainer(resuming: $0, data: data) }
                    ?? Trainer(configuration: configuration, data: data)
                _ = try t.train(steps: step - t.step)
                try t.checkpoint.write(to: try url(step: step))
                trainer = t
            } else {
                trainer = nil
            }
            result[step] = try NetworkDenoiser<Double>.load(checkpoint: try url(step: step), weights: weights)
            previous = step
        }
        return result
    }
}

/// The toy setting of Wang, He & Tao's claims T1 and T2 (papers.md §3.4), shared so that T2 reuses
/// T1's cached networks: the 2-D 8-Gaussian ring with 20,000 training points (enough that the
/// empirical and the exact GMM scores agree at the σ that matter), a ReLU MLP with input (x, ln σ)
/// and output divided by σ (ε-prediction scalings: c_skip = 1, c_out = −σ, c_in = 1/√(σ² + 1)).
enum WangHeTaoToy {
    static let trainingCount = 20000

    /// The run length and network width of the quick and full sizes (quick: half the width and
    /// 30 % of the steps, about a tenth of the full training cost); the batch is the same in both.
    static func steps(quick: Bool) -> Int { quick ? 3000 : 10000 }
    static func width(quick: Bool) -> Int { quick ? 64 : 128 }
    static let batchSize = 256

    static func data(seed: UInt64) -> Matrix<Float> { ToyDataset.ring8.sample(count: trainingCount, seed: seed) }

    static func run(noise: NoiseDistribution, weighting: LossWeighting, steps: Int, width: Int, batchSize: Int, seed: UInt64,
                    cacheFolder: URL) throws -> ToyTrainedModel {
        let config = try ToyTrainedModel.configuration(
            network: ToyTrainedModel.network(dimension: 2, width: width, multiplicative: false, activation: .relu),
            parameterization: .preconditioned(.epsilon), noise: noise, weighting: weighting, steps: steps, batchSize: batchSize,
            seed: seed)
        return ToyTrainedModel(configuration: config, data: data(seed: seed), cacheFolder: cacheFolder)
    }

    /// The exact denoiser of an isotropic mixture (`GaussianMixtureDenoiser` with covariances s_k² I).
    static func exactDenoiser(_ mixture: IsotropicMixture<Double>) throws -> GaussianMixtureDenoiser<Double> {
        let d = mixture.dimension
        return try GaussianMixtureDenoiser(weights: mixture.weights, means: mixture.means,
                                           covariances: mixture.standardDeviations.map { Matrix.identity(d) * ($0 * $0) })
    }

    /// The mixture's variance per coordinate, averaged over coordinates (the ring is isotropic):
    /// Σ_k w_k (‖m_k − m̄‖²/d + s_k²).
    static func ringVariance(_ mixture: IsotropicMixture<Double>) -> Double {
        let d = mixture.dimension
        let mean = (0..<d).map { j in (0..<mixture.componentCount).reduce(0.0) { $0 + mixture.weights[$1] * mixture.means[$1, j] } }
        return (0..<mixture.componentCount).reduce(0.0) { acc, k in
            let spread = (0..<d).reduce(0.0) { $0 + (mixture.means[k, $1] - mean[$1]) * (mixture.means[k, $1] - mean[$1]) }
            return acc + mixture.weights[k] * (spread / Double(d) + mixture.standardDeviations[k] * mixture.standardDeviations[k])
        }
    }
}
