import ScoreKitNumerics

/// The element count and byte size of an array header's shape, checked (`CheckedArithmetic`).
extension CheckedArithmetic {
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
