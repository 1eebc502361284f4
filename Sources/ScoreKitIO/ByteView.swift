import Foundation

/// Bounds-checked little-endian reads from a `Data` (or a slice of one) by 0-based offset.
/// Callers check `count` before reading; every read here is inside the data by construction.
struct ByteView {
    let data: Data

    init(_ data: Data) { self.data = data }

    var count: Int { data.count }

    subscript(offset: Int) -> UInt8 { data[data.startIndex + offset] }

    func bytes(_ range: Range<Int>) -> [UInt8] {
        [UInt8](data[(data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound)])
    }

    func slice(_ range: Range<Int>) -> Data {
        data[(data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound)]
    }

    func hasPrefix(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
        guard offset >= 0, offset <= count - prefix.count else { return false }
        return prefix.indices.allSatisfy { self[offset + $0] == prefix[$0] }
    }

    /// An unsigned little-endian integer of `size` bytes (at most 8) at `offset`.
    func littleEndian(at offset: Int, size: Int) -> UInt64 {
        (0..<size).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(self[offset + $1]) }
    }

    func uint16(at offset: Int) -> Int { Int(littleEndian(at: offset, size: 2)) }
    func uint32(at offset: Int) -> Int { Int(littleEndian(at: offset, size: 4)) }
    func uint64(at offset: Int) -> UInt64 { littleEndian(at: offset, size: 8) }
}
