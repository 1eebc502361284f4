/// Size arithmetic on untrusted numbers: every product and sum is overflow-checked, because a
/// header that claims 2^40 × 2^40 elements must become an error, not a wrapped small number.
enum CheckedArithmetic {
    /// a · b, or nil when it overflows `Int`.
    static func product(_ a: Int, _ b: Int) -> Int? {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : p
    }

    /// a + b, or nil when it overflows `Int`.
    static func sum(_ a: Int, _ b: Int) -> Int? {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : s
    }

    /// The number of elements of `shape` (1 for the empty shape) and that count times `itemSize`,
    /// or an `invalidShape` error naming the problem (negative dimension or overflow).
    static func elementCountAndBytes(shape: [Int], itemSize: Int, path: String) throws(IOError) -> (count: Int, bytes: Int) {
        var count = 1
        for d in shape {
            guard d >= 0 else { throw .invalidShape(path: path, reason: "negative dimension \(d) in \(shape)") }
            guard let c = product(count, d) else {
                throw .invalidShape(path: path, reason: "element count of \(shape) overflows")
            }
            count = c
        }
        guard let bytes = product(count, itemSize) else {
            throw .invalidShape(path: path, reason: "\(count) elements × \(itemSize) bytes overflows")
        }
        return (count, bytes)
    }
}
