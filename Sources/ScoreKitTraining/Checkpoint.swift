import Foundation

/// A training checkpoint: one `.safetensors` file holding
///
/// * the model's state dict under its PyTorch names (`input.weight`, `blocks.0.linear1.bias`, …),
/// * the EMA parameters under `ema.` + name,
/// * the optimizer state under `optim.` + name (`optim.step`, `optim.input.weight.exp_avg`, …),
///
/// and string metadata: `format` = "scorekit-checkpoint", `format_version`, `config` (the
/// `TrainingConfiguration` as JSON), `step`, `dtype` (float32 / float64), `data` (the
/// `DataFingerprint` as JSON), `data_loader` (epoch and offset of the next batch) and `rng`
/// (generator, seed and the next sample index). The loader position and RNG entries are
/// informative: both are functions of (seed, step) (see `Trainer`). Written atomically.
public struct Checkpoint<Scalar: MatrixScalar>: Sendable, Equatable {
    public static var format: String { "scorekit-checkpoint" }
    public static var formatVersion: Int { 1 }
    static var emaPrefix: String { "ema." }
    static var optimizerPrefix: String { "optim." }

    public var configuration: TrainingConfiguration
    public var step: Int
    public var weights: NamedTensors<Scalar>
    public var emaWeights: NamedTensors<Scalar>
    public var optimizerState: NamedTensors<Scalar>
    public var data: DataFingerprint
    /// The precision the tensors were stored in ("float32" or "float64").
    public var storedDType: String

    public init(configuration: TrainingConfiguration, step: Int, weights: NamedTensors<Scalar>,
                emaWeights: NamedTensors<Scalar>, optimizerState: NamedTensors<Scalar>, data: DataFingerprint) {
        self.configuration = configuration
        self.step = step
        self.weights = weights
        self.emaWeights = emaWeights
        self.optimizerState = optimizerState
        self.data = data
        storedDType = Scalar.precisionName
    }

    /// The metadata dictionary described above.
    public var metadata: [String: String] {
        get throws(TrainingError) {
            let position = (step * configuration.batchSize).quotientAndRemainder(dividingBy: Swift.max(data.rows, 1))
            return [
                "format": Self.format,
                "format_version": String(Self.formatVersion),
                "config": try StoredMetadata.json(configuration),
                "step": String(step),
                "dtype": storedDType,
                "data": try StoredMetadata.json(data),
                "data_loader": #"{"epoch":\#(position.quotient),"offset":\#(position.remainder),"seed":\#(configuration.seed)}"#,
                "rng": #"{"generator":"philox4x32-10","next_sample":\#(step * configuration.batchSize),"seed":\#(configuration.seed)}"#,
            ]
        }
    }

    public func write(to url: URL) throws(TrainingError) {
        let tensors = weights.map { $0.stored() } + emaWeights.map { $0.stored(prefix: Self.emaPrefix) }
            + optimizerState.map { $0.stored(prefix: Self.optimizerPrefix) }
        let metadata = try metadata
        do throws(IOError) { try Safetensors.write(tensors, metadata: metadata, to: url) } catch { throw .io(error) }
    }

    /// Reads a checkpoint, converting its tensors to `Scalar` if they were stored in the other
    /// precision. Throws `.io` for unreadable or malformed files (truncated, bad header) and
    /// `.corruptCheckpoint` for a valid safetensors file that is not a ScoreKit checkpoint.
    public static func read(from url: URL) throws(TrainingError) -> Checkpoint {
        try read(StoredMetadata.contents(of: url), path: url.path)
    }

    static func read(_ contents: Safetensors.Contents, path: String) throws(TrainingError) -> Checkpoint {
        let m = StoredMetadata(values: contents.metadata, path: path)
        try m.require(format: format, version: formatVersion)
        guard let step = Int(try m.field("step")), step >= 0 else { throw .corruptCheckpoint(path: path, reason: "bad step count") }
        let configuration: TrainingConfiguration = try m.decode("config")
        do { try configuration.validate() } catch { throw .corruptCheckpoint(path: path, reason: error.description) }
        // The next step's noise is addressed by sample index step × batch size, which must fit Int.
        guard !step.multipliedReportingOverflow(by: configuration.batchSize).overflow else {
            throw .corruptCheckpoint(path: path, reason: "step \(step) × batch size \(configuration.batchSize) overflows the sample counter")
        }
        let data: DataFingerprint = try m.decode("data")
        var weights = NamedTensors<Scalar>(), ema = NamedTensors<Scalar>(), optim = NamedTensors<Scalar>()
        for t in contents.tensors {
            let value = try m.matrix(t, as: Scalar.self)
            let isVector = t.array.shape.count == 1
            if t.name.hasPrefix(emaPrefix) {
                ema.append(NamedTensor(name: String(t.name.dropFirst(emaPrefix.count)), value: value, isVector: isVector))
            } else if t.name.hasPrefix(optimizerPrefix) {
                optim.append(NamedTensor(name: String(t.name.dropFirst(optimizerPrefix.count)), value: value,
                                         isVector: isVector, isTrainable: false))
            } else {
                weights.append(NamedTensor(name: t.name, value: value, isVector: isVector))
            }
        }
        var checkpoint = Checkpoint(configuration: configuration, step: step, weights: weights, emaWeights: ema,
                                    optimizerState: optim, data: data)
        checkpoint.storedDType = try m.field("dtype")
        return checkpoint
    }
}

extension Trainer {
    /// The state of the run now.
    public var checkpoint: Checkpoint<Scalar> {
        Checkpoint(configuration: configuration, step: step, weights: model.network.stateDict, emaWeights: ema.average,
                   optimizerState: optimizer.state, data: DataFingerprint(data))
    }

    /// Continues a run from a checkpoint on the same data and in the same precision: the following
    /// steps equal those of the uninterrupted run bit for bit. `steps` may raise the run's total.
    public init(resuming checkpoint: Checkpoint<Scalar>, data: Matrix<Scalar>, steps: Int? = nil) throws(TrainingError) {
        let precision = Scalar.precisionName
        guard checkpoint.storedDType == precision else {
            throw .incompatibleCheckpoint("it was trained in \(checkpoint.storedDType), this run is \(precision)")
        }
        guard DataFingerprint(data) == checkpoint.data else {
            throw .incompatibleCheckpoint("it was trained on other data (\(checkpoint.data.rows) × \(checkpoint.data.columns), checksum \(checkpoint.data.checksum))")
        }
        var configuration = checkpoint.configuration
        if let steps { configuration.steps = steps }
        try self.init(configuration: configuration, data: data)
        try model.load(stateDict: checkpoint.weights.dictionary)
        var averaged = model
        try averaged.load(parameters: checkpoint.emaWeights)
        ema = ExponentialMovingAverage(averaged.network.parameters)
        let parameters = model.network.parameters
        try wrappingNN { () throws(NNError) in try optimizer.load(state: checkpoint.optimizerState.dictionary, for: parameters) }
        step = checkpoint.step
    }
}

/// Which weights of a checkpoint a denoiser uses.
public enum CheckpointWeights: String, Codable, CaseIterable, Sendable {
    /// The exponential moving average (what sampling normally uses).
    case ema
    /// The raw trained weights.
    case raw
}

extension NetworkDenoiser {
    /// The denoiser stored in a checkpoint (EMA weights by default) or in a model file (`ModelFile`,
    /// EMA weights only), in this precision whatever precision it was trained in: what
    /// `scorekit sample --denoiser checkpoint` uses. The file's `format` metadata says which it is.
    public static func load(checkpoint url: URL, weights: CheckpointWeights = .ema) throws(TrainingError) -> NetworkDenoiser {
        let contents = try StoredMetadata.contents(of: url)
        if contents.metadata["format"] == ModelFile<Scalar>.format {
            guard weights == .ema else {
                throw .incompatibleCheckpoint("\(url.path) is a model file holding only the EMA weights; the raw weights are in checkpoint.safetensors")
            }
            return try ModelFile<Scalar>.read(contents, path: url.path).denoiser()
        }
        let checkpoint = try Checkpoint<Scalar>.read(contents, path: url.path)
        do {
            var denoiser = try makeDenoiser(model: checkpoint.configuration.model,
                                            parameterization: checkpoint.configuration.parameterization, holding: checkpoint.weights)
            try denoiser.load(stateDict: checkpoint.weights.dictionary)
            if weights == .ema { try denoiser.load(parameters: checkpoint.emaWeights) }
            return denoiser
        } catch {
            throw .corruptCheckpoint(path: url.path, reason: error.description)
        }
    }

    /// An untrained denoiser of this architecture, whose weights `stored` (a state dict) then
    /// replaces. Refused before anything is built when `stored` holds fewer values than the
    /// architecture has parameters: a file claiming a larger network than it carries would
    /// otherwise make the reader allocate memory the file never paid for.
    static func makeDenoiser(model: MLPDenoiserNetConfiguration, parameterization: NetworkParameterization,
                             holding stored: NamedTensors<Scalar>) throws(TrainingError) -> NetworkDenoiser {
        let needed = try wrappingNN { () throws(NNError) in try model.parameterCount }
        let held = stored.reduce(0) { $0 + $1.value.count }
        guard needed <= held else {
            throw .invalidConfiguration("the network has \(needed) parameters but the file stores only \(held) values")
        }
        var generator = PhiloxGenerator(seed: 0)
        let network = try wrappingNN { () throws(NNError) in try MLPDenoiserNet<Scalar>(model, using: &generator) }
        return try NetworkDenoiser(network: network, parameterization: parameterization)
    }
}
