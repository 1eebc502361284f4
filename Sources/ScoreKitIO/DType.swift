/// The element types the array formats carry: what numpy calls `<f4 <f8 <i4 <i8 |u1` and
/// safetensors calls `F32 F64 I32 I64 U8`.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32, float64, int32, int64, uint8

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .uint8: return 1
        }
    }

    public var description: String { rawValue }

    /// The little-endian numpy `descr` (`|u1` for bytes, which have no byte order).
    var npyDescr: String {
        switch self {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int32: return "<i4"
        case .int64: return "<i8"
        case .uint8: return "|u1"
        }
    }

    /// The numpy type character and size, e.g. `f4`, as in `descr` after the byte-order mark.
    init?(npyKind kind: Substring) {
        switch kind {
        case "f4": self = .float32
        case "f8": self = .float64
        case "i4": self = .int32
        case "i8": self = .int64
        case "u1": self = .uint8
        default: return nil
        }
    }

    var safetensorsName: String {
        switch self {
        case .float32: return "F32"
        case .float64: return "F64"
        case .int32: return "I32"
        case .int64: return "I64"
        case .uint8: return "U8"
        }
    }

    init?(safetensorsName name: String) {
        guard let match = DType.allCases.first(where: { $0.safetensorsName == name }) else { return nil }
        self = match
    }

    /// Rank in the reference safetensors `Dtype` enum (declaration order, which its derived `Ord`
    /// follows): `U8 < I32 < F32 < F64 < I64`. The reference writer stores tensors by this rank,
    /// descending, then by name.
    var safetensorsRank: Int {
        switch self {
        case .uint8: return 0
        case .int32: return 1
        case .float32: return 2
        case .float64: return 3
        case .int64: return 4
        }
    }
}
