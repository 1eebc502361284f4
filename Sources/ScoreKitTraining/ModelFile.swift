import Foundation

/// A trained model on its own (`DIR/model.safetensors` of `scorekit train`): the EMA weights as a
/// PyTorch state dict (buffers such as `embed.freqs` included, no `ema.` prefix, no optimizer
/// state) and the string metadata needed to rebuild the denoiser without the run:
/// `format` = "scorekit-model", `format_version`, `model` (the `MLPDenoiserNetConfiguration` as
/// JSON), `parameterization` (`NetworkParameterization` as JSON), `data_dimension`, `dtype` and
/// `step`. A file whose metadata is missing or does not match its tensors is refused. Written atomically.
public struct ModelFile<Scalar: MatrixScalar>: Sendable, Equatable {
    public static var format: String { "scorekit-model" }
    public static var formatVersion: Int { 1 }

    public var model: MLPDenoiserNetConfiguration
    public var parameterization: NetworkParameterization
    /// The training step the weights are from.
    public var step: Int
    /// The network's full state dict (trainable parameters and buffers).
    public var stateDict: NamedTensors<Scalar>
    /// The precision the tensors were stored in ("float32" or "float64").
    public var storedDType: String

    /// The file of a denoiser after `step` training steps.
    public init(_ denoiser: NetworkDenoiser<Scalar>, step: Int) {
        model = denoiser.network.configuration
        parameterization = denoiser.parameterization
        self.step = step
        stateDict = denoiser.network.stateDict
        storedDType = Scalar.precisionName
    }

    /// The metadata dictionary described above.
    public var metadata: [String: String] {
        get throws(TrainingError) {
            [
                "format": Self.format,
                "format_version": String(Self.formatVersion),
                "model": try StoredMetadata.json(model),
                "parameterization": try StoredMetadata.json(parameterization),
                "data_dimension": String(model.dataDimension),
                "dtype": storedDType,
                "step": String(step),
            ]
        }
    }

    public func write(to url: URL) throws(TrainingError) {
        let metadata = try metadata
        do throws(IOError) { try Safetensors.write(stateDict.map { $0.stored() }, metadata: metadata, to: url) } catch {
            throw .io(error)
        }
    }

    /// Reads a model file, converting its tensors to `Scalar` if they were stored in the other
    /// precision. Throws `.io` for unreadable or malformed files and `.corruptCheckpoint` for a
    /// safetensors file with missing or invalid metadata or tensors that do not fit it.
    public static func read(from url: URL) throws(TrainingError) -> ModelFile {
        try read(StoredMetadata.contents(of: url), path: url.path)
    }

    static func read(_ contents: Safetensors.Contents, path: String) throws(TrainingError) -> ModelFile {
        let m = StoredMetadata(values: contents.metadata, path: path)
        try m.require(format: format, version: formatVersion)
        let model: MLPDenoiserNetConfiguration = try m.decode("model")
        let parameterization: NetworkParameterization = try m.decode("parameterization")
        guard try m.count("data_dimension") == model.dataDimension else {
            throw .corruptCheckpoint(path: path, reason: "'data_dimension' \(m.values["data_dimension"] ?? "") differs from the model's \(model.dataDimension)")
        }
        var stateDict = NamedTensors<Scalar>()
        for t in contents.tensors {
            stateDict.append(NamedTensor(name: t.name, value: try m.matrix(t, as: Scalar.self), isVector: t.array.shape.count == 1))
        }
        let file = ModelFile(model: model, parameterization: parameterization, step: try m.count("step"), stateDict: stateDict,
                             storedDType: try m.field("dtype"))
        do { _ = try file.denoiser() } catch { throw .corruptCheckpoint(path: path, reason: error.description) }
        return file
    }

    private init(model: MLPDenoiserNetConfiguration, parameterization: NetworkParameterization, step: Int,
                 stateDict: NamedTensors<Scalar>, storedDType: String) {
        (self.model, self.parameterization, self.step, self.stateDict, self.storedDType) =
            (model, parameterization, step, stateDict, storedDType)
    }

    /// The denoiser: the architecture of `model`, wrapped by `parameterization`, with these weights
    /// (strict: every tensor present, none extra, shapes equal).
    public func denoiser() throws(TrainingError) -> NetworkDenoiser<Scalar> {
        var denoiser = try NetworkDenoiser<Scalar>.makeDenoiser(model: model, parameterization: parameterization, holding: stateDict)
        try denoiser.load(stateDict: stateDict.dictionary)
        return denoiser
    }
}

extension Trainer {
    /// The EMA model now, as `model.safetensors` stores it.
    public var modelFile: ModelFile<Scalar> {
        get throws(TrainingError) { ModelFile(try emaDenoiser, step: step) }
    }
}
