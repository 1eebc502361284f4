import Foundation
import ScoreKitNumerics

/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of JSON `{"__metadata__": {…}, "name": {"dtype": "F32", "shape": [4, 3],
/// "data_offsets": [begin, end]}, …}`, then the little-endian C-order tensor bytes, with offsets
/// relative to the end of the header.
///
/// Reading validates as the reference implementation does: the header fits in the file and
/// starts with `{`, the tensors tile the data exactly (contiguous from 0, no gap, no overlap,
/// ending at the end of the file) and each takes shape × item size bytes. Writing reproduces the
/// reference writer byte for byte: compact JSON, `__metadata__` first (keys sorted here; the
/// reference uses a hash map, so it agrees whenever there is at most one key), tensors ordered by
/// dtype (descending in the reference `Dtype` enum: I64, F64, F32, I32, U8) then by name, and the
/// header padded with spaces to a multiple of 8 bytes.
public enum Safetensors {
    public struct Contents: Sendable, Equatable {
        /// The tensors in the order of their data in the file.
        public var tensors: [NamedArray]
        public var metadata: [String: String]

        public init(tensors: [NamedArray], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    public static func read(contentsOf url: URL, limits: IOLimits = .standard) throws(IOError) -> Contents {
        try decode(FileAccess.contents(of: url, limits: limits), path: url.path, limits: limits)
    }

    /// Writes the tensors (names must be unique) and metadata; empty metadata is left out.
    public static func write(_ tensors: [NamedArray], metadata: [String: String] = [:], to url: URL) throws(IOError) {
        try AtomicFile.write(encode(tensors, metadata: metadata, path: url.path), to: url)
    }

    static let metadataKey = "__metadata__"

    /// The bytes the reference `safetensors.serialize` writes for these tensors and metadata.
    public static func encode(_ tensors: [NamedArray], metadata: [String: String] = [:], path: String = "safetensors") throws(IOError) -> Data {
        guard Set(tensors.map(\.name)).count == tensors.count, !tensors.contains(where: { $0.name == metadataKey }) else {
            throw .invalidArgument(path: path, reason: "tensor names must be unique and not \(metadataKey)")
        }
        let ordered = tensors.sorted { a, b in
            if a.array.dtype.safetensorsRank != b.array.dtype.safetensorsRank {
                return a.array.dtype.safetensorsRank > b.array.dtype.safetensorsRank
            }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        var entries = [String]()
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            entries.append("\(jsonString(metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var body = Data()
        for t in ordered {
            let begin = body.count
            t.array.storage.appendLittleEndian(to: &body)
            entries.append("\(jsonString(t.name)):{\"dtype\":\"\(t.array.dtype.safetensorsName)\","
                           + "\"shape\":[\(t.array.shape.map(String.init).joined(separator: ","))],"
                           + "\"data_offsets\":[\(begin),\(body.count)]}")
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var data = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        data.append(body)
        return data
    }

    /// A JSON string literal escaped as serde_json does: `"` and `\`, the short escapes
    /// `\b \f \n \r \t`, other control characters as `\u00XX`; everything else as UTF-8.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func decode(_ data: Data, path: String, limits: IOLimits) throws(IOError) -> Contents {
        let bytes = ByteView(data)
        guard bytes.count >= 8 else { throw .truncated(path: path, reason: "\(bytes.count) bytes, shorter than the header length") }
        let declared = bytes.uint64(at: 0)
        guard declared <= UInt64(limits.maxHeaderBytes) else {
            throw .tooLarge(path: path, what: "safetensors header", bytes: Int(clamping: declared), limit: limits.maxHeaderBytes)
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw .truncated(path: path, reason: "header length \(headerLength) is larger than the \(bytes.count - 8) bytes after it")
        }
        guard headerLength > 0, bytes[8] == UInt8(ascii: "{") else {
            throw .badMagic(path: path, format: "safetensors (header does not start with '{')")
        }
        let entries = try parseHeader(bytes.slice(8..<(8 + headerLength)), path: path)
        let buffer = bytes.slice((8 + headerLength)..<bytes.count)
        var metadata = [String: String]()
        var infos = [(name: String, info: TensorInfo)]()
        for (name, entry) in entries {
            switch entry {
            case .metadata(let m): metadata = m
            case .tensor(let info): infos.append((name, info))
            }
        }
        infos.sort { ($0.info.begin, $0.info.end, $0.name) < ($1.info.begin, $1.info.end, $1.name) }
        var tensors = [NamedArray]()
        var expectedBegin = 0
        for (name, info) in infos {
            let location = "\(path)[\(name)]"
            guard let dtype = DType(safetensorsName: info.dtype) else { throw .unsupportedDType(path: location, dtype: info.dtype) }
            let (count, size) = try CheckedArithmetic.elementCountAndBytes(shape: info.shape, itemSize: dtype.itemSize, path: location)
            guard info.begin == expectedBegin else {
                throw .invalidOffsets(path: location, reason: info.begin < expectedBegin
                    ? "starts at \(info.begin), overlapping data that ends at \(expectedBegin)"
                    : "starts at \(info.begin), leaving a gap after \(expectedBegin)")
            }
            guard info.end >= info.begin, info.end - info.begin == size else {
                throw .invalidOffsets(path: location, reason: "offsets [\(info.begin), \(info.end)] do not span shape \(info.shape) of \(dtype) (\(size) bytes)")
            }
            guard info.end <= buffer.count else {
                throw .invalidOffsets(path: location, reason: "ends at \(info.end), beyond the \(buffer.count) data bytes in the file")
            }
            let storage = ByteView(buffer).slice(info.begin..<info.end).withUnsafeBytes {
                NDArray.Storage.decode(dtype, from: $0, count: count, bigEndian: false)
            }
            tensors.append(NamedArray(name, NDArray(shape: info.shape, storage: storage)))
            expectedBegin = info.end
        }
        guard expectedBegin == buffer.count else {
            throw .invalidOffsets(path: path, reason: "tensors cover \(expectedBegin) of the \(buffer.count) data bytes")
        }
        return Contents(tensors: tensors, metadata: metadata)
    }

    struct TensorInfo: Decodable {
        let dtype: String
        let shape: [Int]
        let begin: Int
        let end: Int

        enum CodingKeys: String, CodingKey { case dtype, shape, data_offsets }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            dtype = try c.decode(String.self, forKey: .dtype)
            shape = try c.decode([Int].self, forKey: .shape)
            let offsets = try c.decode([Int].self, forKey: .data_offsets)
            guard offsets.count == 2, offsets[0] >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .data_offsets, in: c, debugDescription: "expected [begin, end] with begin ≥ 0")
            }
            (begin, end) = (offsets[0], offsets[1])
        }
    }

    /// A value of the header map: the string map under `__metadata__`, a tensor anywhere else.
    enum HeaderEntry: Decodable {
        case tensor(TensorInfo)
        case metadata([String: String])

        init(from decoder: any Decoder) throws {
            if decoder.codingPath.last?.stringValue == Safetensors.metadataKey {
                self = .metadata(try [String: String](from: decoder))
            } else {
                self = .tensor(try TensorInfo(from: decoder))
            }
        }
    }

    private static func parseHeader(_ json: Data, path: String) throws(IOError) -> [(String, HeaderEntry)] {
        do {
            return try JSONDecoder().decode([String: HeaderEntry].self, from: json).map { ($0.key, $0.value) }
        } catch let DecodingError.dataCorrupted(context) {
            throw .malformedHeader(path: path, reason: describe(context, fallback: "invalid JSON"))
        } catch let DecodingError.keyNotFound(key, context) {
            let tensor = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .malformedHeader(path: path, reason: "tensor '\(tensor)' lacks \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .malformedHeader(path: path, reason: describe(context, fallback: "wrong JSON type"))
        } catch {
            throw .malformedHeader(path: path, reason: "invalid JSON")
        }
    }

    /// "at key.path: what" for a decoding error, on one line.
    private static func describe(_ context: DecodingError.Context, fallback: String) -> String {
        let at = context.codingPath.map(\.stringValue).joined(separator: ".")
        let what = context.debugDescription.split(separator: "\n").first.map(String.init) ?? fallback
        return at.isEmpty ? what : "at \(at): \(what)"
    }
}
