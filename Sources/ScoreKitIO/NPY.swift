import Foundation
import ScoreKitNumerics

/// numpy's `.npy` format (NEP 1, numpy.lib.format): the magic `\x93NUMPY`, a version, a header
/// length (2 bytes in version 1.0, 4 in 2.0 and 3.0), a Python-literal header dict
/// `{'descr': …, 'fortran_order': …, 'shape': …}` padded to a multiple of 64 bytes, then the data.
///
/// Reads versions 1.0–3.0, dtypes `f4 f8 i4 i8 u1` in either byte order and C or Fortran order
/// (converted to little-endian C order). Writes exactly what `np.save` writes for a little-endian
/// C-order array: version 1.0, or 2.0 when the header does not fit in 65535 bytes.
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// numpy pads the header so the data starts on a multiple of this (`ARRAY_ALIGN`).
    static let alignment = 64
    /// numpy leaves room in the header for the first dimension to grow to this many digits
    /// (`GROWTH_AXIS_MAX_DIGITS`), so a file can be appended to in place.
    static let growthAxisMaxDigits = 21

    public static func read(contentsOf url: URL, limits: IOLimits = .standard) throws(IOError) -> NDArray {
        try decode(FileAccess.contents(of: url, limits: limits), path: url.path, limits: limits)
    }

    /// A 1-D or 2-D (or 0-D) array file as a matrix; 1-D arrays become one column (see `NDArray.matrix`).
    public static func readMatrix<S: MatrixScalar>(contentsOf url: URL, as type: S.Type = S.self,
                                                   limits: IOLimits = .standard) throws(IOError) -> Matrix<S> {
        let array = try read(contentsOf: url, limits: limits)
        guard array.shape.count <= 2 else {
            throw .invalidShape(path: url.path, reason: "expected a 1-D or 2-D array, found shape \(array.shape)")
        }
        return try array.matrix()
    }

    public static func write(_ array: NDArray, to url: URL) throws(IOError) {
        try AtomicFile.write(encode(array), to: url)
    }

    public static func write<S: MatrixScalar>(_ matrix: Matrix<S>, to url: URL) throws(IOError) {
        try write(NDArray(matrix), to: url)
    }

    /// The bytes `np.save` would write for this array.
    public static func encode(_ array: NDArray) -> Data {
        let shape: String
        switch array.shape.count {
        case 0: shape = "()"
        case 1: shape = "(\(array.shape[0]),)"
        default: shape = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dict = "{'descr': '\(array.dtype.npyDescr)', 'fortran_order': False, 'shape': \(shape), }"
        if let first = array.shape.first {
            dict += String(repeating: " ", count: max(0, growthAxisMaxDigits - String(first).count))
        }
        let header = Array(dict.utf8)
        // Version 1.0 unless the padded header overflows its 2-byte length, as numpy chooses.
        var lengthSize = 2
        var padded = paddedHeaderLength(header.count, prefix: magic.count + 2 + lengthSize)
        if padded > Int(UInt16.max) {
            lengthSize = 4
            padded = paddedHeaderLength(header.count, prefix: magic.count + 2 + lengthSize)
        }
        var data = Data(capacity: magic.count + 2 + lengthSize + padded + array.count * array.dtype.itemSize)
        data.append(contentsOf: magic)
        data.append(contentsOf: [lengthSize == 2 ? 1 : 2, 0])
        withUnsafeBytes(of: UInt32(padded).littleEndian) { data.append(contentsOf: $0.prefix(lengthSize)) }
        data.append(contentsOf: header)
        data.append(contentsOf: [UInt8](repeating: 0x20, count: padded - header.count - 1))
        data.append(0x0A)
        array.storage.appendLittleEndian(to: &data)
        return data
    }

    /// Header length including spaces and the final newline, numpy's `_wrap_header`: padding is
    /// `64 − (prefix + len + 1) mod 64`, which is a full 64 when already aligned.
    private static func paddedHeaderLength(_ length: Int, prefix: Int) -> Int {
        let withNewline = length + 1
        return withNewline + alignment - (prefix + withNewline) % alignment
    }

    /// Parses a whole `.npy` file held in memory; `path` names it in errors.
    static func decode(_ data: Data, path: String, limits: IOLimits) throws(IOError) -> NDArray {
        let bytes = ByteView(data)
        guard bytes.hasPrefix(magic) else {
            if bytes.count < magic.count && bytes.bytes(0..<bytes.count) == Array(magic.prefix(bytes.count)) {
                throw .truncated(path: path, reason: "\(bytes.count) bytes, shorter than the npy signature")
            }
            throw .badMagic(path: path, format: "npy")
        }
        guard bytes.count >= 8 else { throw .truncated(path: path, reason: "file ends inside the npy version") }
        let (major, minor) = (bytes[6], bytes[7])
        guard minor == 0, (1...3).contains(major) else {
            throw .malformedHeader(path: path, reason: "unsupported npy version \(major).\(minor)")
        }
        let lengthSize = major == 1 ? 2 : 4
        let headerStart = 8 + lengthSize
        guard bytes.count >= headerStart else { throw .truncated(path: path, reason: "file ends inside the header length") }
        let headerLength = Int(bytes.littleEndian(at: 8, size: lengthSize))
        guard headerLength <= limits.maxHeaderBytes else {
            throw .tooLarge(path: path, what: "npy header", bytes: headerLength, limit: limits.maxHeaderBytes)
        }
        let dataStart = headerStart + headerLength
        guard dataStart <= bytes.count else {
            throw .truncated(path: path, reason: "header of \(headerLength) bytes but only \(bytes.count - headerStart) bytes follow")
        }
        let header = try Header(parsing: bytes.bytes(headerStart..<dataStart), path: path)
        let (count, payload) = try CheckedArithmetic.elementCountAndBytes(
            shape: header.shape, itemSize: header.dtype.itemSize, path: path)
        guard payload <= limits.maxBytes else {
            throw .tooLarge(path: path, what: "array payload", bytes: payload, limit: limits.maxBytes)
        }
        let available = bytes.count - dataStart
        guard available >= payload else {
            throw .truncated(path: path, reason: "shape \(header.shape) of \(header.dtype) needs \(payload) bytes of data, file has \(available)")
        }
        guard available == payload else {
            throw .sizeMismatch(path: path, reason: "\(available) bytes of data, shape \(header.shape) of \(header.dtype) needs \(payload)")
        }
        let stored = bytes.slice(dataStart..<bytes.count).withUnsafeBytes { raw in
            NDArray.Storage.decode(header.dtype, from: raw, count: count, bigEndian: header.bigEndian)
        }
        return NDArray(shape: header.shape,
                       storage: header.fortranOrder ? stored.cOrder(fromFortranOrder: header.shape) : stored)
    }

    /// The three entries of an npy header dict, validated.
    struct Header {
        let dtype: DType
        let bigEndian: Bool
        let fortranOrder: Bool
        let shape: [Int]

        init(parsing text: [UInt8], path: String) throws(IOError) {
            guard case .dict(let dict) = try PythonLiteral.parse(text, path: path) else {
                throw .malformedHeader(path: path, reason: "the header is not a dict")
            }
            guard Set(dict.keys) == ["descr", "fortran_order", "shape"],
                  let descr = dict["descr"], let fortran = dict["fortran_order"], let shape = dict["shape"] else {
                throw .malformedHeader(path: path, reason: "keys \(dict.keys.sorted()) are not descr, fortran_order, shape")
            }
            guard case .string(let name) = descr else {
                throw .unsupportedDType(path: path, dtype: "structured or non-string descr")
            }
            (dtype, bigEndian) = try Header.parseDescr(name, path: path)
            guard case .bool(let f) = fortran else {
                throw .malformedHeader(path: path, reason: "fortran_order is not True or False")
            }
            fortranOrder = f
            guard case .tuple(let dims) = shape else {
                throw .malformedHeader(path: path, reason: "shape is not a tuple")
            }
            self.shape = try dims.map { (d: PythonLiteral) throws(IOError) -> Int in
                guard case .integer(let n) = d else { throw .invalidShape(path: path, reason: "dimension is not an integer") }
                return n
            }
        }

        /// `descr` such as `<f8`: a byte-order mark (`<` little, `>` big, `|` not applicable,
        /// `=` or none for native) and a kind with its size.
        static func parseDescr(_ descr: String, path: String) throws(IOError) -> (DType, bigEndian: Bool) {
            var kind = Substring(descr)
            var mark: Character = "="
            if let first = kind.first, "<>|=".contains(first) {
                mark = first
                kind = kind.dropFirst()
            }
            guard let dtype = DType(npyKind: kind), mark != "|" || dtype.itemSize == 1 else {
                throw .unsupportedDType(path: path, dtype: descr)
            }
            return (dtype, mark == ">" || (mark == "=" && 1.bigEndian == 1))
        }
    }
}
