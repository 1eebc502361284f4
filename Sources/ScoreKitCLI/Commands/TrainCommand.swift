import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit train`: denoising score matching of a small MLP on a data set (papers.md §0.3, §1, §3),
/// writing `DIR/checkpoint.safetensors` (everything to resume), `DIR/model.safetensors` (the EMA
/// model on its own, `ModelFile`), `DIR/log.csv` (the loss curve, `LossCurve`), `DIR/metrics.jsonl`
/// and `DIR/config.json`. A seeded `--holdout` fraction of the rows is not trained on; the EMA
/// model's loss on it at fixed σ and noise (`HeldOutMonitor`) is reported every `--eval-every` steps.
///
/// The run is the `TrainingConfiguration` of `--config` (JSON, e.g. a previous run's config.json)
/// or of the defaults implied by `--preconditioning`, with every flag given on the command line
/// overriding it. `--resume` continues `DIR/checkpoint.safetensors` bit for bit (its configuration
/// wins; only `--steps` may extend the run).
struct TrainCommand: ParsableCommand, PrecisionGeneric {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a diffusion model (denoising score matching) and write a checkpoint and metrics.")

    enum Model: String, ExpressibleByArgument, CaseIterable { case mlp }
    enum PreconditioningName: String, ExpressibleByArgument, CaseIterable { case edm, ncsn, eps, x0, vp, ve, v }
    enum DistributionName: String, ExpressibleByArgument, CaseIterable { case lognormal, loguniform, ncsn, vp }
    enum WeightingName: String, ExpressibleByArgument, CaseIterable {
        case edm, sigma2, epsilon, uniform, snr
        case minSNR = "min-snr"
    }
    enum OptimizerName: String, ExpressibleByArgument, CaseIterable { case adam, adamw, sgd }
    enum DecayName: String, ExpressibleByArgument, CaseIterable { case constant, cosine }

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "A JSON TrainingConfiguration (e.g. a previous run's config.json); flags override it.")
    var config: String?

    @Option(help: "The network: mlp.") var model: Model = .mlp
    @Option(help: "Hidden width of the MLP (default 256).") var width: Int?
    @Option(help: "Number of residual blocks (default 4).") var depth: Int?
    @Option(help: "edm, ncsn (multiplicative s = f(x)/σ), eps, x0, vp, ve or v (default edm).")
    var preconditioning: PreconditioningName?
    @Option(name: .customLong("sigma-data"), help: "σ_data of edm / v preconditioning and edm weighting (default 0.5).")
    var sigmaData: Double?
    @Option(name: .customLong("noise-distribution"), help: "lognormal, loguniform, ncsn (geometric levels) or vp (uniform t); default by preconditioning.")
    var noiseDistribution: DistributionName?
    @Option(name: .customLong("p-mean"), help: "Mean of ln σ for lognormal (default −1.2).") var pMean: Double?
    @Option(name: .customLong("p-std"), help: "Std of ln σ for lognormal (default 1.2).") var pStd: Double?
    @Option(name: .customLong("sigma-min"), help: "σ_min of loguniform / ncsn (default 0.02 / 0.01).") var sigmaMin: Double?
    @Option(name: .customLong("sigma-max"), help: "σ_max of loguniform / ncsn (default 100 / 50).") var sigmaMax: Double?
    @Option(help: "Number of ncsn levels (default 10).") var levels: Int?
    @Option(help: "edm, sigma2 (= epsilon: uniform in ε), uniform (= snr: x₀ MSE) or min-snr; default by preconditioning.")
    var weighting: WeightingName?
    @Option(name: .customLong("min-snr-gamma"), help: "γ of min-snr (default 5).") var minSNRGamma: Double?
    @Option(help: "Total optimizer steps (default 1000).") var steps: Int?
    @Option(help: "Batch size (default 256).") var batch: Int?
    @Option(help: "Learning rate (default 1e-3).") var lr: Double?
    @Option(help: "Linear warm-up steps (default 0).") var warmup: Int?
    @Option(name: .customLong("lr-decay"), help: "constant or cosine (to 0 at the last step).") var lrDecay: DecayName?
    @Option(help: "adam (default), adamw or sgd.") var optimizer: OptimizerName?
    @Option(name: .customLong("grad-clip"), help: "Clip the global gradient norm to this.") var gradClip: Double?
    @Option(help: "EMA decay per step (default 0.999).") var ema: Double?
    @Option(help: "Seed of the weights, data order and noise (default 0).") var seed: UInt64?

    @Option(help: "Output directory.") var out: String
    @Flag(help: "Continue DIR/checkpoint.safetensors.") var resume = false
    @Option(name: .customLong("log-every"), help: "Write the mean loss to metrics.jsonl every k steps.") var logEvery = 10
    @Option(name: .customLong("checkpoint-every"), help: "Also write the checkpoint every k steps (0: only at the end).")
    var checkpointEvery = 1000
    @Option(help: "float32 (default) or float64.") var precision: Precision = .float32
    @Option(help: "Fraction of the data held out for evaluation (a seeded split; --resume needs the same value).")
    var holdout = 0.1
    @Option(name: .customLong("eval-every"), help: "Evaluate the EMA model on the held-out data every k steps (0: only at the end).")
    var evalEvery = 500
    @Option(name: .customLong("eval-rows"), help: "Held-out (and training) rows per evaluation, at most.")
    var evalRows = 512

    func validate() throws {
        guard dataOptions.data != nil else { throw ValidationError("--data is required") }
        guard logEvery >= 1 else { throw ValidationError("--log-every must be at least 1") }
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every must be ≥ 0") }
        guard holdout >= 0 && holdout < 1 else { throw ValidationError("--holdout must be in [0, 1) (got \(holdout))") }
        guard evalEvery >= 0 else { throw ValidationError("--eval-every must be ≥ 0") }
        guard evalRows >= 1 else { throw ValidationError("--eval-rows must be at least 1") }
        for (name, value) in [("--width", width), ("--batch", batch), ("--levels", levels)] {
            if let value, value < 1 { throw ValidationError("\(name) must be positive") }
        }
        for (name, value) in [("--depth", depth), ("--steps", steps), ("--warmup", warmup)] {
            if let value, value < 0 { throw ValidationError("\(name) must be ≥ 0") }
        }
        for (name, value) in [("--lr", lr), ("--sigma-data", sigmaData), ("--sigma-min", sigmaMin), ("--sigma-max", sigmaMax),
                              ("--min-snr-gamma", minSNRGamma), ("--grad-clip", gradClip), ("--p-std", pStd)] {
            if let value, !(value.isFinite && value > 0) { throw ValidationError("\(name) must be positive and finite (got \(value))") }
        }
        if let pMean, !pMean.isFinite { throw ValidationError("--p-mean must be finite") }
        if let ema, !(0...1).contains(ema) { throw ValidationError("--ema must be in [0, 1] (got \(ema))") }
    }

    func run() throws { try runInChosenPrecision() }

    func run<S: MatrixScalar>(as: S.Type) throws {
        let all = try dataOptions.load(as: S.self)
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        let checkpointURL = directory.appendingPathComponent("checkpoint.safetensors")
        let modelURL = directory.appendingPathComponent("model.safetensors")
        let metricsURL = directory.appendingPathComponent("metrics.jsonl")
        let curveURL = directory.appendingPathComponent("log.csv")
        var trainer: Trainer<S>
        let split: HoldoutSplit
        var curve = LossCurve()
        if resume {
            // Writes killed mid-way (the interrupted run) leave their temporary files behind.
            for url in [checkpointURL, modelURL, metricsURL, curveURL] { AtomicFile.removeLeftovers(of: url) }
            guard FileManager.default.fileExists(atPath: checkpointURL.path) else {
                throw CLIError("\(checkpointURL.path): no checkpoint to resume")
            }
            let checkpoint = try Checkpoint<S>.read(from: checkpointURL)
            split = try HoldoutSplit(rowCount: all.rows, fraction: holdout, seed: checkpoint.configuration.seed)
            do { trainer = try Trainer(resuming: checkpoint, data: all.rows(at: split.training), steps: steps) } catch {
                guard case .incompatibleCheckpoint(let why) = error else { throw error }
                throw CLIError("\(checkpointURL.path): cannot resume: \(why) (it needs the --data and --holdout of the interrupted run)")
            }
            if let old = try? LossCurve.read(from: curveURL) { curve = old.truncated(throughStep: trainer.step) }
        } else {
            let configuration = try makeConfiguration(dimension: all.columns)
            split = try HoldoutSplit(rowCount: all.rows, fraction: holdout, seed: configuration.seed)
            trainer = try Trainer(configuration: configuration, data: all.rows(at: split.training))
        }
        let monitor = split.heldOut.isEmpty ? nil : try HeldOutMonitor(
            heldOut: all.rows(at: split.heldOut), training: trainer.data, configuration: trainer.configuration, maxRows: evalRows)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CLIError("\(out): cannot create the output directory")
        }
        try AtomicFile.write(try Self.encode(trainer.configuration, pretty: true), to: directory.appendingPathComponent("config.json"))
        var metrics = try MetricsLog(url: metricsURL, keepingStepsThrough: resume ? trainer.step : 0)

        let start = Date(), firstStep = trainer.step, total = trainer.configuration.steps
        var loop = TrainingLoop(trainer: trainer, monitor: monitor, logEvery: logEvery, evalEvery: evalEvery, curve: curve)
        try loop.run(label: "train", quiet: false, stepped: { report, trainer, curve, buckets in
            // Every record of a step goes to metrics.jsonl before its checkpoint: a run killed in
            // between resumes from the previous checkpoint, which drops the records and logs them anew.
            guard checkpointEvery > 0 && report.step % checkpointEvery == 0 && report.step < total else { return }
            try metrics.append(Self.bucketRecord(buckets, step: report.step))
            buckets = BucketLosses(buckets: trainer.configuration.buckets)
            try curve.write(to: curveURL)
            try trainer.checkpoint.write(to: checkpointURL)
            try trainer.modelFile.write(to: modelURL)
        }, logged: { report, mean in
            try metrics.append(["type": "step", "step": report.step, "loss": mean, "grad_norm": report.gradientNorm,
                                "lr": report.learningRate])
        }, evaluated: { point, buckets in
            var record = Self.bucketRecord(buckets, step: point.step)
            record["type"] = "eval"
            record["heldout_loss"] = point.heldOutLoss
            record["train_eval_loss"] = point.trainEvalLoss
            try metrics.append(record)
        }, finished: { step, buckets in
            if buckets.counts.contains(where: { $0 > 0 }) { try metrics.append(Self.bucketRecord(buckets, step: step)) }
        })
        trainer = loop.trainer
        try loop.curve.write(to: curveURL)
        try trainer.checkpoint.write(to: checkpointURL)
        try trainer.modelFile.write(to: modelURL)
        let seconds = Date().timeIntervalSince(start)
        let loss = loop.lastLoss.map { $0 as Any } ?? NSNull()
        let heldOut = loop.lastEvaluation.map { $0.heldOutLoss as Any } ?? NSNull()
        let trainEval = loop.lastEvaluation.map { $0.trainEvalLoss as Any } ?? NSNull()
        try printJSONLine(["out": out, "checkpoint": checkpointURL.path, "model": modelURL.path, "log": curveURL.path,
                           "steps": trainer.step, "loss": loss, "final_loss": loss, "heldout_loss": heldOut,
                           "train_eval_loss": trainEval, "heldout_rows": split.heldOut.count, "training_rows": trainer.data.rows,
                           "seconds": seconds,
                           "steps_per_second": seconds > 0 ? Double(trainer.step - firstStep) / seconds : 0])
    }

    /// The configuration: `--config` or the defaults of `--preconditioning`, then the given flags.
    func makeConfiguration(dimension: Int) throws -> TrainingConfiguration {
        var c: TrainingConfiguration
        let name = preconditioning ?? .edm
        let sd = sigmaData ?? 0.5
        if let config {
            let url = URL(fileURLWithPath: config)
            guard let bytes = try? Data(contentsOf: url) else { throw CLIError("\(config): cannot read the configuration") }
            do { c = try JSONDecoder().decode(TrainingConfiguration.self, from: bytes) } catch {
                throw CLIError("\(config): not a valid training configuration: \(Self.describe(error))")
            }
        } else {
            c = TrainingConfiguration(model: MLPDenoiserNetConfiguration(dataDimension: dimension, width: 256, depth: 4),
                                      learningRate: try LearningRateSchedule(base: 1e-3))
            c.noiseDistribution = try makeDistribution(noiseDistribution ?? Self.defaultDistribution(name))
            c.weighting = Self.weighting(weighting ?? Self.defaultWeighting(name), sigmaData: sd, gamma: minSNRGamma ?? 5)
        }
        if preconditioning != nil || config == nil { c.parameterization = Self.parameterization(name, sigmaData: sd) }
        // The multiplicative model has no noise input; FiLM needs one, so it conditions by nothing.
        if c.parameterization == .multiplicative {
            c.model.noiseInput = .none
            c.model.conditioning = .concatenation
        }
        if let width { (c.model.width, c.model.hiddenWidth) = (width, width) }
        if let depth { c.model.depth = depth }
        if let noiseDistribution, config != nil { c.noiseDistribution = try makeDistribution(noiseDistribution) }
        if let weighting, config != nil { c.weighting = Self.weighting(weighting, sigmaData: sd, gamma: minSNRGamma ?? 5) }
        if let steps { c.steps = steps }
        if let batch { c.batchSize = batch }
        if lr != nil || warmup != nil || lrDecay != nil {
            let base = lr ?? c.learningRate.base, warm = warmup ?? c.learningRate.warmupSteps
            let decay: LearningRateSchedule.Decay = lrDecay == .cosine ? .cosine(totalSteps: c.steps, minimum: 0)
                : lrDecay == .constant ? .constant : c.learningRate.decay
            do { c.learningRate = try LearningRateSchedule(base: base, warmupSteps: warm, decay: decay) } catch {
                throw CLIError("learning-rate schedule: \(error)")
            }
        }
        if let optimizer {
            switch optimizer {
            case .adam: c.optimizer = .adamDefault
            case .adamw: c.optimizer = .adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-2)
            case .sgd: c.optimizer = .sgd(momentum: 0.9, nesterov: false)
            }
        }
        if let gradClip { c.gradientClipNorm = gradClip }
        if let ema { c.emaDecay = ema }
        if let seed { c.seed = seed }
        try c.validate()
        return c
    }

    static func parameterization(_ name: PreconditioningName, sigmaData: Double) -> NetworkParameterization {
        switch name {
        case .edm: return .preconditioned(.edm(sigmaData: sigmaData))
        case .ncsn: return .multiplicative
        case .eps: return .preconditioned(.epsilon)
        case .x0: return .denoised
        case .vp: return .preconditioned(.vpDefault)
        case .ve: return .preconditioned(.ve)
        case .v: return .preconditioned(.velocity(sigmaData: sigmaData))
        }
    }

    /// EDM trains with its log-normal, NCSN over its levels, ε/VP models with VP's uniform t, the rest log-uniform.
    static func defaultDistribution(_ name: PreconditioningName) -> DistributionName {
        switch name {
        case .edm, .v: return .lognormal
        case .ncsn: return .ncsn
        case .eps, .vp: return .vp
        case .x0, .ve: return .loguniform
        }
    }

    /// Each parameterization's own loss: EDM's λ, uniform x₀ MSE for x0, ε-uniform (σ² on the score) otherwise.
    static func defaultWeighting(_ name: PreconditioningName) -> WeightingName {
        switch name {
        case .edm, .v: return .edm
        case .x0: return .uniform
        case .ncsn, .eps, .vp, .ve: return .sigma2
        }
    }

    func makeDistribution(_ name: DistributionName) throws -> NoiseDistribution {
        let d: NoiseDistribution
        switch name {
        case .lognormal: d = .logNormal(mean: pMean ?? -1.2, standardDeviation: pStd ?? 1.2)
        case .loguniform: d = .logUniform(minimum: sigmaMin ?? 0.02, maximum: sigmaMax ?? 100)
        case .ncsn: d = .geometricLevels(minimum: sigmaMin ?? 0.01, maximum: sigmaMax ?? 50, count: levels ?? 10)
        case .vp: d = .vp
        }
        do { try d.validate() } catch { throw CLIError("--noise-distribution \(name.rawValue): σ_min must be below σ_max and ≥ 2 levels") }
        return d
    }

    static func weighting(_ name: WeightingName, sigmaData: Double, gamma: Double) -> LossWeighting {
        switch name {
        case .edm: return .edm(sigmaData: sigmaData)
        case .sigma2, .epsilon: return .inverseVariance
        case .uniform, .snr: return .uniform
        case .minSNR: return .minSNR(gamma: gamma)
        }
    }

    static func bucketRecord(_ b: BucketLosses, step: Int) -> [String: Any] {
        let nullable: ([Double?]) -> [Any] = { $0.map { $0.map { $0 as Any } ?? NSNull() } }
        return ["type": "buckets", "step": step, "edges": b.buckets.edges, "loss": nullable(b.meanLosses),
                "epsilon_error": nullable(b.meanEpsilonErrors), "count": b.counts]
    }

    static func encode(_ value: some Encodable, pretty: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys]
        return try encoder.encode(value)
    }

    /// A decoding error as one line (the key path and what is wrong).
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "'\(path)': ") + context.debugDescription
        default: return "\(error)"
        }
    }
}

/// `metrics.jsonl`: one JSON object per line. A resumed run first drops the lines of steps after
/// its checkpoint (written by the interrupted run), so the file reads as one uninterrupted run;
/// it rewrites the file atomically, so a kill during the rewrite loses no line.
struct MetricsLog {
    private let handle: FileHandle

    init(url: URL, keepingStepsThrough step: Int) throws {
        var kept = Data()
        if step > 0, let old = try? String(contentsOf: url, encoding: .utf8) {
            for line in old.split(separator: "\n") {
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let s = object?["step"] as? Int, s <= step { kept.append(Data((line + "\n").utf8)) }
            }
        }
        do {
            try AtomicFile.write(kept, to: url)
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } catch {
            throw CLIError("\(url.path): cannot write metrics")
        }
    }

    mutating func append(_ object: [String: Any]) throws {
        let line = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) + Data("\n".utf8)
        do { try handle.write(contentsOf: line) } catch { throw CLIError("cannot append to metrics.jsonl") }
    }
}
