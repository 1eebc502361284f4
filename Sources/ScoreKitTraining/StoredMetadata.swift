import Foundation

/// The string metadata of one of ScoreKit's `.safetensors` files (a checkpoint or a model file),
/// read with one clear `corruptCheckpoint` error per missing or malformed entry.
struct StoredMetadata {
    let values: [String: String]
    let path: String

    /// Reads the file (`.io` for unreadable or malformed safetensors).
    static func contents(of url: URL) throws(TrainingError) -> Safetensors.Contents {
        do { return try Safetensors.read(contentsOf: url) } catch { throw .io(error) }
    }

    func field(_ key: String) throws(TrainingError) -> String {
        guard let value = values[key] else { throw .corruptCheckpoint(path: path, reason: "no '\(key)' metadata") }
        return value
    }

    /// A nonnegative integer entry.
    func count(_ key: String) throws(TrainingError) -> Int {
        guard let value = Int(try field(key)), value >= 0 else {
            throw .corruptCheckpoint(path: path, reason: "'\(key)' metadata is not a nonnegative integer")
        }
        return value
    }

    /// Throws unless `format` and `format_version` are exactly these.
    func require(format: String, version: Int) throws(TrainingError) {
        guard try field("format") == format else { throw .corruptCheckpoint(path: path, reason: "format is not '\(format)'") }
        guard Int(try field("format_version")) == version else {
            throw .corruptCheckpoint(path: path, reason: "unsupported format version \(values["format_version"] ?? "")")
        }
    }

    /// A JSON-encoded entry.
    func decode<T: Decodable>(_ key: String) throws(TrainingError) -> T {
        try decodeJSON(key, as: T.self)
    }

    /// A network architecture entry (a model file's `model`), refused as corrupt unless it is a
    /// network `MLPDenoiserNet` can build within `TrainingLimits.standard`'s parameter count: a
    /// hostile file must not make the reader allocate a network of 10¹⁸ weights before its
    /// tensors are compared. (Swift prefers this overload to the generic one wherever the
    /// expected type is `MLPDenoiserNetConfiguration`; a checkpoint's `config` is checked by
    /// `TrainingConfiguration.validate`.)
    func decode(_ key: String) throws(TrainingError) -> MLPDenoiserNetConfiguration {
        let model = try decodeJSON(key, as: MLPDenoiserNetConfiguration.self)
        do { try TrainingLimits.standard.check(model) } catch {
            throw .corruptCheckpoint(path: path, reason: "'\(key)' metadata: \(error)")
        }
        return model
    }

    private func decodeJSON<T: Decodable>(_ key: String, as _: T.Type) throws(TrainingError) -> T {
        let text = try field(key)
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw .corruptCheckpoint(path: path, reason: "'\(key)' metadata is not valid: \(error)")
        }
    }

    /// A value as the compact, key-sorted JSON stored in metadata.
    static func json(_ value: some Encodable) throws(TrainingError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
            throw .invalidConfiguration("cannot encode \(type(of: value)) as JSON: \(error)")
        }
    }

    /// A stored float tensor as a matrix in `Scalar` (vectors become 1 × n), converting the other precision.
    func matrix<Scalar: MatrixScalar>(_ t: NamedArray, as _: Scalar.Type) throws(TrainingError) -> Matrix<Scalar> {
        guard t.array.dtype == .float32 || t.array.dtype == .float64 else {
            throw .corruptCheckpoint(path: path, reason: "tensor '\(t.name)' is \(t.array.dtype), not a float")
        }
        return try wrappingNN { () throws(NNError) in
            try NamedTensor<Scalar>.matrix(name: t.name, shape: t.array.shape, scalars: t.array.scalars(as: Scalar.self))
        }
    }
}

extension NamedTensor {
    /// The tensor as a safetensors array under `prefix` + its name, in its PyTorch shape.
    func stored(prefix: String = "") -> NamedArray {
        NamedArray(prefix + name, NDArray(shape: shape, scalars: value.scalars))
    }
}
