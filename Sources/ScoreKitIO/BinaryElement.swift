import Foundation

/// An array element as stored in a file: a fixed-width bit pattern in a given byte order.
/// Decoding and encoding go through the bit pattern so that byte-swapping is exact for floats too.
protocol BinaryElement: Sendable {
    associatedtype Bits: FixedWidthInteger & UnsignedInteger
    init(storedBits: Bits)
    var storedBits: Bits { get }
}

extension Float: BinaryElement {
    init(storedBits: UInt32) { self.init(bitPattern: storedBits) }
    var storedBits: UInt32 { bitPattern }
}

extension Double: BinaryElement {
    init(storedBits: UInt64) { self.init(bitPattern: storedBits) }
    var storedBits: UInt64 { bitPattern }
}

extension Int32: BinaryElement {
    init(storedBits: UInt32) { self.init(bitPattern: storedBits) }
    var storedBits: UInt32 { UInt32(bitPattern: self) }
}

extension Int64: BinaryElement {
    init(storedBits: UInt64) { self.init(bitPattern: storedBits) }
    var storedBits: UInt64 { UInt64(bitPattern: self) }
}

extension UInt8: BinaryElement {
    init(storedBits: UInt8) { self = storedBits }
    var storedBits: UInt8 { self }
}

extension BinaryElement {
    /// `count` elements from `bytes` (which must hold `count · size` bytes) in the given byte order.
    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, bigEndian: Bool) -> [Self] {
        let size = MemoryLayout<Bits>.size
        let swap = bigEndian != (1.bigEndian == 1)
        // Capacity 0 would write into the shared empty-array storage (a ThreadSanitizer data race).
        guard count > 0 else { return [] }
        return [Self](unsafeUninitializedCapacity: count) { out, initialized in
            if !swap, let source = bytes.baseAddress, let target = out.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * size)
            } else {
                for i in 0..<count {
                    out[i] = Self(storedBits: bytes.loadUnaligned(fromByteOffset: i * size, as: Bits.self).byteSwapped)
                }
            }
            initialized = count
        }
    }

    /// The elements as little-endian bytes, appended to `data`.
    static func appendLittleEndian(_ values: [Self], to data: inout Data) {
        guard 1.bigEndian == 1 else {
            values.withUnsafeBytes { data.append(contentsOf: $0) }
            return
        }
        for v in values { withUnsafeBytes(of: v.storedBits.littleEndian) { data.append(contentsOf: $0) } }
    }
}
