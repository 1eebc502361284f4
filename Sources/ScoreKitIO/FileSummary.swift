import Foundation

/// What `scorekit info FILE` shows: the format, and per array its name, shape, dtype and value
/// statistics.
public struct FileSummary: Sendable, Equatable {
    public enum Format: String, Sendable {
        case npy, npz, safetensors
    }

    public let format: Format
    public let arrays: [ArraySummary]
    /// safetensors `__metadata__` (empty for other formats).
    public let metadata: [String: String]

    /// Reads an `.npy`, `.npz` or `.safetensors` file, recognised by its first bytes
    /// (`\x93NUMPY`, `PK`, or a header length followed by `{`), whatever its extension.
    public init(contentsOf url: URL, limits: IOLimits = .standard) throws(IOError) {
        let data = try FileAccess.contents(of: url, limits: limits)
        let bytes = ByteView(data)
        let path = url.path
        if bytes.hasPrefix(NPY.magic) {
            let array = try NPY.decode(data, path: path, limits: limits)
            (format, arrays, metadata) = (.npy, [ArraySummary(name: url.deletingPathExtension().lastPathComponent, array: array)], [:])
        } else if bytes.hasPrefix([0x50, 0x4B]) {
            (format, arrays, metadata) = (.npz, try NPZ.decode(data, path: path, limits: limits).map(ArraySummary.init), [:])
        } else if bytes.count > 8 && bytes[8] == UInt8(ascii: "{") {
            let contents = try Safetensors.decode(data, path: path, limits: limits)
            (format, arrays, metadata) = (.safetensors, contents.tensors.map(ArraySummary.init), contents.metadata)
        } else {
            throw .badMagic(path: path, format: "npy, npz or safetensors")
        }
    }
}

/// Shape, dtype and statistics of one array. Minimum, maximum and mean are over the non-NaN
/// elements (numpy's `nanmin`, `nanmax`, `nanmean`), accumulated in Double; nil if there are none.
public struct ArraySummary: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let dtype: DType
    public let minimum: Double?
    public let maximum: Double?
    public let mean: Double?
    public let nanCount: Int

    public init(name: String, array: NDArray) {
        self.name = name
        shape = array.shape
        dtype = array.dtype
        var lo = Double.infinity, hi = -Double.infinity, sum = 0.0, nans = 0
        for v in array.scalars(as: Double.self) {
            if v.isNaN { nans += 1; continue }
            lo = min(lo, v)
            hi = max(hi, v)
            sum += v
        }
        let counted = array.count - nans
        nanCount = nans
        minimum = counted > 0 ? lo : nil
        maximum = counted > 0 ? hi : nil
        mean = counted > 0 ? sum / Double(counted) : nil
    }

    init(_ named: NamedArray) { self.init(name: named.name, array: named.array) }
}
