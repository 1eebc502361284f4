import Foundation
import ScoreKitIO

/// A denoiser trained on the 8×8 digits, shared by the claims that need a learned model (Wang &
/// Vastola's W2–W6, papers.md §4.4; usable by any other claim): EDM preconditioning, EDM's
/// log-normal σ and loss weighting, a residual MLP, on a seeded train / held-out split of the 1,797
/// digits (1,500 / 297 at full size).
///
/// Training is cached: every checkpoint is written atomically to `cacheFolder` under a name that
/// hashes the whole `Configuration`, and `load` reuses the files whose stored configuration matches.
/// A run stopped part-way resumes from its last checkpoint (the `Trainer` repeats an uninterrupted
/// run bit for bit), so a second `scorekit reproduce` never retrains.
///
/// Usage:
/// ```swift
/// let model = try TrainedDigitsModel.load(.standard(quick: context.quick, seed: context.seed),
///                                         cacheFolder: context.cacheFolder)
/// let d = try model.denoiser()                       // EMA weights after the last step, in Double
/// let early = try model.denoiser(atStep: model.configuration.checkpointSteps[0], weights: .raw)
/// ```
public struct TrainedDigitsModel: Sendable {
    /// Everything that determines the model: the data split and the training run.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Width of the MLP's residual stream and its number of residual blocks.
        public var width: Int
        public var depth: Int
        /// Steps at which checkpoints are kept, ascending; the last one is the length of the run.
        public var checkpointSteps: [Int]
        public var batchSize: Int
        /// Adam's peak rate (linear warm-up over the first 5 %, then cosine decay to 1e-5).
        public var learningRate: Double
        public var emaDecay: Double
        /// Seeds the split, the weights, the data order and the training noise.
        public var seed: UInt64
        /// How many of the digits go to the training split (the rest are held out).
        public var trainCount: Int
        /// Use only the first `dataLimit` digits (small models in tests); nil: all 1,797.
        public var dataLimit: Int?

        /// `emaDecay` nil: EDM's ramped-up half-life, 5 % of the run (`ema_rampup_ratio` 0.05), i.e.
        /// β = 0.5^(1/(0.05 · steps)) — a fixed 0.999 would still hold a third of the first weights
        /// after 1,500 steps.
        public init(width: Int, depth: Int, checkpointSteps: [Int], batchSize: Int = 256, learningRate: Double = 1e-3,
                    emaDecay: Double? = nil, seed: UInt64, trainCount: Int = 1500, dataLimit: Int? = nil) {
            self.width = width
            self.depth = depth
            self.checkpointSteps = checkpointSteps
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.emaDecay = emaDecay ?? Double.pow(0.5, 1 / Swift.max(1, 0.05 * Double(checkpointSteps.last ?? 0)))
            self.seed = seed
            self.trainCount = trainCount
            self.dataLimit = dataLimit
        }

        /// The plan's model (papers.md §4.4 W2: MLP of width 512, three hidden layers, checkpoints at
        /// 0.5k … 20k steps) or, when `quick`, a smaller one (width 128, two blocks, 1,500 steps;
        /// about 0.1 s per step on this 2-core machine when loaded, so training stays near a minute).
        public static func standard(quick: Bool, seed: UInt64) -> Configuration {
            quick ? Configuration(width: 128, depth: 2, checkpointSteps: [100, 250, 500, 1000, 1500], seed: seed)
                : Configuration(width: 512, depth: 3, checkpointSteps: [500, 1000, 2000, 5000, 10000, 20000], seed: seed)
        }

        /// The length of the run.
        public var steps: Int { checkpointSteps.last ?? 0 }

        /// The `Trainer`'s settings.
        public var training: TrainingConfiguration {
            get throws {
                TrainingConfiguration(
                    model: MLPDenoiserNetConfiguration(dataDimension: 64, width: width, depth: depth),
                    batchSize: batchSize, steps: steps,
                    learningRate: try LearningRateSchedule(base: learningRate, warmupSteps: steps / 20,
                                                           decay: .cosine(totalSteps: steps, minimum: 1e-5)),
                    emaDecay: emaDecay, seed: seed)
            }
        }

        /// A stable name for the cache files: FNV-1a (64 bit) of the configuration's sorted-key JSON.
        var cacheKey: String {
            get throws {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let bytes = try encoder.encode(self)
                let hash = bytes.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
                return String(hash, radix: 16)
            }
        }

        func validate() throws {
            guard width >= 1, depth >= 1, batchSize >= 1, learningRate > 0, (0...1).contains(emaDecay) else {
                throw ExperimentError.failed(id: "digits model", reason: "invalid configuration \(self)")
            }
            guard let first = checkpointSteps.first, first >= 1, zip(checkpointSteps, checkpointSteps.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw ExperimentError.failed(id: "digits model", reason: "checkpoint steps must be positive and ascending")
            }
        }
    }

    public let configuration: Configuration
    /// The training split and the held-out split, pixels in [−1, 1] (d = 64).
    public let train: Matrix<Double>
    public let heldOut: Matrix<Double>
    /// Seconds spent training in this call (0 when every checkpoint came from the cache).
    public let trainingSeconds: Double
    let checkpointFiles: [Int: URL]

    /// The model at `step` (one of `configuration.checkpointSteps`; default the last), in Double.
    /// `weights: .raw` gives the optimizer's weights rather than their moving average — what a
    /// study of learning dynamics wants, since an EMA early in training still remembers the
    /// initial weights.
    public func denoiser(atStep step: Int? = nil, weights: CheckpointWeights = .ema) throws -> NetworkDenoiser<Double> {
        let step = step ?? configuration.steps
        guard let url = checkpointFiles[step] else {
            throw ExperimentError.failed(id: "digits model", reason: "no checkpoint at step \(step) (have \(configuration.checkpointSteps))")
        }
        return try NetworkDenoiser<Double>.load(checkpoint: url, weights: weights)
    }

    /// The Gaussian N(μ, Σ) of the training split (1/N covariance): the model of the closed forms.
    public func gaussian() throws -> GaussianDenoiser<Double> { try GaussianDenoiser(fitting: train) }

    /// The seeded split of the digits: a permutation by sorting uniforms (draw 0 of
    /// `CounterNormalRNG(seed)`), the first `trainCount` rows for training.
    public static func split(_ configuration: Configuration) throws -> (train: Matrix<Double>, heldOut: Matrix<Double>) {
        var images = try Digits<Double>.load().images
        if let limit = configuration.dataLimit { images = images.rows(0..<min(limit, images.rows)) }
        guard configuration.trainCount >= 2 && configuration.trainCount < images.rows - 1 else {
            throw ExperimentError.failed(id: "digits model", reason: "cannot split \(images.rows) digits with \(configuration.trainCount) for training")
        }
        let u = CounterNormalRNG(seed: configuration.seed).uniforms(rows: images.rows, columns: 1, draw: 0, as: Double.self).scalars
        let order = u.indices.sorted { u[$0] < u[$1] || (u[$0] == u[$1] && $0 < $1) }
        return (images.rows(at: order.prefix(configuration.trainCount)), images.rows(at: order.dropFirst(configuration.trainCount)))
    }

    /// Reuses the cached checkpoints of `configuration` in `cacheFolder`, or trains (in Float, from
    /// the last cached checkpoint if there is one) and writes them. `progress` receives (steps done,
    /// total steps) while training.
    public static func load(_ configuration: Configuration, cacheFolder: URL,
                            progress: @Sendable (Int, Int) -> Void = { _, _ in }) throws -> TrainedDigitsModel {
        try configuration.validate()
        let (train, heldOut) = try split(configuration)
        let training = try configuration.training
        let key = try configuration.cacheKey
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        let files = Dictionary(uniqueKeysWithValues: configuration.checkpointSteps.map {
            ($0, cacheFolder.appendingPathComponent("digits-mlp-\(key)-step\($0).safetensors"))
        })
        let trainFloat = train.converted(to: Float.self)
        // The longest prefix of checkpoints already on disk for exactly this run.
        var resumeFrom: Checkpoint<Float>?
        for step in configuration.checkpointSteps {
            guard let url = files[step], let checkpoint = try? Checkpoint<Float>.read(from: url),
                  checkpoint.configuration == training, checkpoint.step == step, checkpoint.data == DataFingerprint(trainFloat)
            else { break }
            resumeFrom = checkpoint
        }
        let started = Date()
        if resumeFrom?.step != configuration.steps {
            var trainer = try resumeFrom.map { try Trainer(resuming: $0, data: trainFloat) }
                ?? Trainer(configuration: training, data: trainFloat)
            for step in configuration.checkpointSteps where step > trainer.step {
                _ = try trainer.train(steps: step - trainer.step) { report in
                    if report.step % 50 == 0 { progress(report.step, configuration.steps) }
                }
                if let url = files[step] { try trainer.checkpoint.write(to: url) }
            }
            progress(configuration.steps, configuration.steps)
        }
        let seconds = resumeFrom?.step == configuration.steps ? 0 : Date().timeIntervalSince(started)
        return TrainedDigitsModel(configuration: configuration, train: train, heldOut: heldOut, trainingSeconds: seconds,
                                  checkpointFiles: files)
    }
}
