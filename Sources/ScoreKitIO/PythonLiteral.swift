/// The subset of Python literals an `.npy` header is written in: strings, integers, `True`,
/// `False`, `None`, tuples, lists and dicts with string keys, e.g.
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
///
/// Parsed by hand, the way `ast.literal_eval` reads it: any spacing, trailing commas, `(5,)` is a
/// 1-tuple while `(5)` is just 5, `()` is the empty tuple. Integers are range-checked and nesting
/// is bounded, so no header can overflow a number or the stack.
enum PythonLiteral: Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([String: PythonLiteral])

    /// Parses `bytes` as exactly one literal (surrounding whitespace allowed).
    static func parse(_ bytes: [UInt8], path: String) throws(IOError) -> PythonLiteral {
        var parser = Parser(bytes: bytes, path: path)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the literal") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let path: String
        var position = 0
        static let maxDepth = 16

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
        }

        func failure(_ reason: String) -> IOError {
            .malformedHeader(path: path, reason: "\(reason) at character \(position)")
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpace() {
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C { position += 1 }
        }

        mutating func value(depth: Int) throws(IOError) -> PythonLiteral {
            guard depth < Parser.maxDepth else { throw failure("literal nested too deeply") }
            skipSpace()
            guard let c = current else { throw failure("unexpected end of header") }
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string(quote: c))
            case UInt8(ascii: "("):
                position += 1
                let (items, sawComma) = try sequence(until: UInt8(ascii: ")"), depth: depth)
                // `(x)` is x itself; only `()` and a trailing comma make a tuple, as in Python.
                if items.count == 1 && !sawComma { return items[0] }
                return .tuple(items)
            case UInt8(ascii: "["):
                position += 1
                return .list(try sequence(until: UInt8(ascii: "]"), depth: depth).items)
            case UInt8(ascii: "{"):
                position += 1
                return .dict(try dict(depth: depth))
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .integer(try integer())
            default:
                return try keyword()
            }
        }

        /// Items up to the closing bracket; reports whether any comma was seen.
        mutating func sequence(until close: UInt8, depth: Int) throws(IOError) -> (items: [PythonLiteral], sawComma: Bool) {
            var items = [PythonLiteral]()
            var sawComma = false
            while true {
                skipSpace()
                if current == close { position += 1; return (items, sawComma) }
                items.append(try value(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") {
                    position += 1
                    sawComma = true
                } else if current == close {
                    position += 1
                    return (items, sawComma)
                } else {
                    throw failure("expected ',' or '\(Character(UnicodeScalar(close)))'")
                }
            }
        }

        mutating func dict(depth: Int) throws(IOError) -> [String: PythonLiteral] {
            var entries = [String: PythonLiteral]()
            while true {
                skipSpace()
                if current == UInt8(ascii: "}") { position += 1; return entries }
                guard let q = current, q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else {
                    throw failure("dictionary keys must be strings")
                }
                let key = try string(quote: q)
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':' after key '\(key)'") }
                position += 1
                entries[key] = try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") {
                    position += 1
                } else if current == UInt8(ascii: "}") {
                    position += 1
                    return entries
                } else {
                    throw failure("expected ',' or '}'")
                }
            }
        }

        /// A quoted string; a backslash keeps the next character literally (headers hold no escapes
        /// that matter: dtype names are plain ASCII).
        mutating func string(quote: UInt8) throws(IOError) -> String {
            position += 1
            var content = [UInt8]()
            while let c = current {
                position += 1
                if c == quote { return String(decoding: content, as: UTF8.self) }
                if c == UInt8(ascii: "\\") {
                    guard let next = current else { break }
                    content.append(next)
                    position += 1
                } else if c == 0x0A {
                    throw failure("newline inside a string")
                } else {
                    content.append(c)
                }
            }
            throw failure("unterminated string")
        }

        /// A decimal integer with optional sign (and the `L` suffix Python 2 wrote), range-checked.
        mutating func integer() throws(IOError) -> Int {
            var negative = false
            if let c = current, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                negative = c == UInt8(ascii: "-")
                position += 1
                skipSpace()
            }
            let start = position
            var magnitude = 0
            var overflow = false
            while let c = current, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                let digit = Int(c - UInt8(ascii: "0"))
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                magnitude = next
                position += 1
            }
            guard position > start else { throw failure("expected a digit") }
            let digits = String(decoding: bytes[start..<position], as: UTF8.self)
            if let c = current, c == UInt8(ascii: "L") || c == UInt8(ascii: "l") { position += 1 }
            guard !overflow else { throw failure("integer \(negative ? "-" : "")\(digits.prefix(30)) out of range") }
            return negative ? -magnitude : magnitude
        }

        mutating func keyword() throws(IOError) -> PythonLiteral {
            let start = position
            while let c = current, (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) {
                position += 1
            }
            switch String(decoding: bytes[start..<position], as: UTF8.self) {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            case "": throw failure("unexpected character")
            case let word: throw failure("unknown name '\(word.prefix(20))'")
            }
        }
    }
}
