/// Everything that can go wrong reading or writing a file. Each case names the file and says
/// what is wrong in one line (`description`), so a command-line tool can print it as is.
///
/// Readers check every size a file promises against the file's real length and `IOLimits`
/// before allocating, so a hostile or truncated file ends here instead of in a crash.
public enum IOError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The destination could not be written; nothing was left at the destination.
    case unwritable(path: String, reason: String)
    /// A size (of the file, a header, an array or an inflated member) is beyond `IOLimits`.
    case tooLarge(path: String, what: String, bytes: Int, limit: Int)
    /// The file ends before the data it promises.
    case truncated(path: String, reason: String)
    /// The file does not start with the signature of the format.
    case badMagic(path: String, format: String)
    /// The header (npy dict, safetensors JSON, zip directory, gzip, CSV header) does not parse.
    case malformedHeader(path: String, reason: String)
    case unsupportedDType(path: String, dtype: String)
    /// Negative, overflowing or otherwise impossible array dimensions.
    case invalidShape(path: String, reason: String)
    /// The payload is not exactly shape × item size, or a declared size disagrees with the data.
    case sizeMismatch(path: String, reason: String)
    /// safetensors `data_offsets` out of range, overlapping or with gaps.
    case invalidOffsets(path: String, reason: String)
    /// Compressed data that does not inflate, or a checksum that does not match.
    case corruptData(path: String, reason: String)
    /// A CSV field that is not a number (line and column are 1-based).
    case badField(path: String, line: Int, column: Int, text: String)
    /// A CSV row whose number of fields differs from the first row's.
    case raggedRow(path: String, line: Int, fields: Int, expected: Int)
    /// The caller asked for something the data cannot give (e.g. a 3-D array as a matrix).
    case invalidArgument(path: String, reason: String)

    public var path: String {
        switch self {
        case .fileNotFound(let p), .unreadable(let p, _), .unwritable(let p, _), .tooLarge(let p, _, _, _),
             .truncated(let p, _), .badMagic(let p, _), .malformedHeader(let p, _), .unsupportedDType(let p, _),
             .invalidShape(let p, _), .sizeMismatch(let p, _), .invalidOffsets(let p, _), .corruptData(let p, _),
             .badField(let p, _, _, _), .raggedRow(let p, _, _, _), .invalidArgument(let p, _):
            return p
        }
    }

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): no such file"
        case .unreadable(let p, let r): return "\(p): cannot read: \(r)"
        case .unwritable(let p, let r): return "\(p): cannot write: \(r)"
        case .tooLarge(let p, let what, let bytes, let limit):
            return "\(p): \(what) of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .truncated(let p, let r): return "\(p): truncated: \(r)"
        case .badMagic(let p, let format): return "\(p): not a \(format) file (wrong signature)"
        case .malformedHeader(let p, let r): return "\(p): malformed header: \(r)"
        case .unsupportedDType(let p, let d): return "\(p): unsupported dtype \(d)"
        case .invalidShape(let p, let r): return "\(p): invalid shape: \(r)"
        case .sizeMismatch(let p, let r): return "\(p): size mismatch: \(r)"
        case .invalidOffsets(let p, let r): return "\(p): invalid data offsets: \(r)"
        case .corruptData(let p, let r): return "\(p): corrupt data: \(r)"
        case .badField(let p, let line, let column, let text):
            return "\(p):\(line): field \(column) is not a number: \"\(text.prefix(40))\""
        case .raggedRow(let p, let line, let fields, let expected):
            return "\(p):\(line): \(fields) fields, expected \(expected)"
        case .invalidArgument(let p, let r): return "\(p): \(r)"
        }
    }
}
