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
                "config": try Self.json(configuration),
                "step": String(step),
                "dtype": storedDType,
                "data": try Self.json(data),
                "data_loader": #"{"epoch":\#(position.quotient),"offset":\#(position.remainder),"seed":\#(configuration.seed)}"#,
                "rng": #"{"generator":"philox4x32-10","next_sample":\#(step * configuration.batchSize),"seed":\#(configuration.seed)}"#,
            ]
        }
    }

    public func write(to url: URL) throws(TrainingError) {
        let tensors = weights.map { Self.array($0, prefix: "") } + emaWeights.map { Self.array($0, prefix: Self.emaPrefix) }
            + optimizerState.map { Self.array($0, prefix: Self.optimizerPrefix) }
        let metadata = try metadata
        do throws(IOError) { try Safetensors.write(tensors, metadata: metadata, to: url) } catch { throw .io(error) }
    }

    /// Reads a checkpoint, converting its tensors to `Scalar` if they were stored in the other
    /// precision. Throws `.io` for unreadable or malformed files (truncated, bad header) and
    /// `.corruptCheckpoint` for a valid safetensors file that is not a ScoreKit checkpoint.
    public static func read(from url: URL) throws(TrainingError) -> Checkpoint {
        let contents: Safetensors.Contents
        do { contents = try Safetensors.read(contentsOf: url) } catch { throw .io(error) }
        let path = url.path
        let m = contents.metadata
        func field(_ key: String) throws(TrainingError) -> String {
            guard let value = m[key] else { throw .corruptCheckpoint(path: path, reason: "no '\(key)' metadata") }
            return value
        }
        guard try field("format") == format else { throw .corruptCheckpoint(path: path, reason: "format is not '\(format)'") }
        guard let version = Int(try field("format_version")), version == formatVersion else {
            throw .corruptCheckpoint(path: path, reason: "unsupported format version \(m["format_version"] ?? "")")
        }
        guard let step = Int(try field("step")), step >= 0 else { throw .corruptCheckpoint(path: path, reason: "bad step count") }
        let configuration: TrainingConfiguration = try decode(try field("config"), key: "config", path: path)
        do { try configuration.validate() } catch { throw .corruptCheckpoint(path: path, reason: error.description) }
        let data: DataFingerprint = try decode(try field("data"), key: "data", path: path)
        var weights = NamedTensors<Scalar>(), ema = NamedTensors<Scalar>(), optim = NamedTensors<Scalar>()
        for t in contents.tensors {
            guard t.array.dtype == .float32 || t.array.dtype == .float64 else {
                throw .corruptCheckpoint(path: path, reason: "tensor '\(t.name)' is \(t.array.dtype), not a float")
            }
            let value = try wrappingNN { () throws(NNError) in
                try NamedTensor<Scalar>.matrix(name: t.name, shape: t.array.shape, scalars: t.array.scalars(as: Scalar.self))
            }
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
        checkpoint.storedDType = try field("dtype")
        return checkpoint
    }

    private static func array(_ t: NamedTensor<Scalar>, prefix: String) -> NamedArray {
        NamedArray(prefix + t.name, NDArray(shape: t.shape, scalars: t.value.scalars))
    }

    private static func json(_ value: some Encodable) throws(TrainingError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
            throw .invalidConfiguration("cannot encode \(type(of: value)) as JSON: \(error)")
        }
    }

    private static func decode<T: Decodable>(_ text: String, key: String, path: String) throws(TrainingError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw .corruptCheckpoint(path: path, reason: "'\(key)' metadata is not valid: \(error)")
        }
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
    /// The denoiser stored in a checkpoint (EMA weights by default), in this precision whatever
    /// precision it was trained in: what `scorekit sample --denoiser checkpoint` uses.
    public static func load(checkpoint url: URL, weights: CheckpointWeights = .ema) throws(TrainingError) -> NetworkDenoiser {
        let checkpoint = try Checkpoint<Scalar>.read(from: url)
        var generator = PhiloxGenerator(seed: 0)
        let network = try wrappingNN { () throws(NNError) in
            try MLPDenoiserNet<Scalar>(checkpoint.configuration.model, using: &generator)
        }
        var denoiser = try NetworkDenoiser(network: network, parameterization: checkpoint.configuration.parameterization)
        do {
            try denoiser.load(stateDict: checkpoint.weights.dictionary)
            if weights == .ema { try denoiser.load(parameters: checkpoint.emaWeights) }
        } catch {
            throw .corruptCheckpoint(path: url.path, reason: error.description)
        }
        return denoiser
    }
}
