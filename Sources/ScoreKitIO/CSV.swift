import Foundation
import ScoreKitNumerics

/// Comma-separated numbers, one matrix row per line, as `np.savetxt(..., delimiter=",")` writes
/// and `np.loadtxt(..., delimiter=",")` reads: fields may be surrounded by spaces, blank lines
/// and lines starting with `#` are skipped, and `nan`/`inf` are numbers. A gzip-compressed file
/// (such as `digits.csv.gz`) is inflated first. An optional first row holds column names, which
/// may be quoted (`"a,b"`).
public enum CSV {
    public struct Table<Scalar: MatrixScalar>: Sendable, Equatable {
        /// Column names from the header row, if the file has one.
        public var header: [String]?
        public var matrix: Matrix<Scalar>

        public init(header: [String]? = nil, matrix: Matrix<Scalar>) {
            self.header = header
            self.matrix = matrix
        }
    }

    public static func read<S: MatrixScalar>(contentsOf url: URL, hasHeader: Bool = false, as type: S.Type = S.self,
                                             limits: IOLimits = .standard) throws(IOError) -> Table<S> {
        var data = try FileAccess.contents(of: url, limits: limits)
        if ByteView(data).hasPrefix(Gzip.magic) { data = try Gzip.decompress(data, path: url.path, limits: limits) }
        return try parse(data, hasHeader: hasHeader, path: url.path)
    }

    /// Writes one line per row, fields separated by commas, after an optional header line (names
    /// containing a comma, quote or line break are quoted). Numbers use Swift's shortest
    /// representation that reads back to the same value (`0.1`, `1e-05`, `nan`, `inf`).
    public static func write<S: MatrixScalar>(_ matrix: Matrix<S>, header: [String]? = nil, to url: URL) throws(IOError) {
        if let header, header.count != matrix.columns {
            throw .invalidArgument(path: url.path, reason: "\(header.count) column names for \(matrix.columns) columns")
        }
        var text = header.map { $0.map(quoted).joined(separator: ",") + "\n" } ?? ""
        for i in 0..<matrix.rows {
            text += matrix.row(i).map { "\($0)" }.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(Data(text.utf8), to: url)
    }

    private static func quoted(_ name: String) -> String {
        guard name.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Parses CSV text; errors name `path` and the 1-based line (and field) at fault.
    static func parse<S: MatrixScalar>(_ data: Data, hasHeader: Bool, path: String) throws(IOError) -> Table<S> {
        let bytes = [UInt8](data)
        var header: [String]?
        var values = [S]()
        var columns: Int?
        var rows = 0
        var lineNumber = 0
        for rawLine in bytes.split(separator: newline, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = trimmingSpace(rawLine)
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            let fields = splitFields(line)
            if hasHeader && header == nil {
                header = fields
                columns = fields.count
                continue
            }
            let expected = columns ?? fields.count
            guard fields.count == expected else {
                throw .raggedRow(path: path, line: lineNumber, fields: fields.count, expected: expected)
            }
            columns = expected
            for (j, field) in fields.enumerated() {
                guard let v: S = number(field) else {
                    throw .badField(path: path, line: lineNumber, column: j + 1, text: field)
                }
                values.append(v)
            }
            rows += 1
        }
        return Table(header: header, matrix: Matrix(rows: rows, columns: columns ?? 0, scalars: values))
    }

    private static let newline = UInt8(ascii: "\n"), comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")

    /// The fields of a line: split at commas outside double quotes, each trimmed of spaces, and
    /// a quoted field without its quotes (`""` inside stands for `"`).
    private static func splitFields(_ line: ArraySlice<UInt8>) -> [String] {
        var fields = [String]()
        var start = line.startIndex
        var quoted = false
        for i in line.indices {
            if line[i] == quote { quoted.toggle() }
            if line[i] == comma && !quoted {
                fields.append(unquoted(String(decoding: trimmingSpace(line[start..<i]), as: UTF8.self)))
                start = i + 1
            }
        }
        fields.append(unquoted(String(decoding: trimmingSpace(line[start...]), as: UTF8.self)))
        return fields
    }

    /// The bytes without leading and trailing spaces, tabs and carriage returns.
    private static func trimmingSpace(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x0D }
        guard let first = s.firstIndex(where: { !isSpace($0) }), let last = s.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return s[first...last]
    }

    private static func unquoted(_ s: String) -> String {
        guard s.count >= 2, s.first == "\"", s.last == "\"" else { return s }
        return s.dropFirst().dropLast().replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// The field as a number, parsed directly in the target precision (no double rounding).
    private static func number<S: MatrixScalar>(_ field: String) -> S? {
        if S.self == Float.self { return Float(field).map { S($0) } }
        return Double(field).map { S($0) }
    }
}
