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
        return [Self](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count {
                let raw = bytes.loadUnaligned(fromByteOffset: i * size, as: Bits.self)
                out[i] = Self(storedBits: bigEndian ? Bits(bigEndian: raw) : Bits(littleEndian: raw))
            }
            initialized = count
        }
    }

    /// The elements as little-endian bytes, appended to `data`.
    static func appendLittleEndian(_ values: [Self], to data: inout Data) {
        let size = MemoryLayout<Bits>.size
        let start = data.count
        data.count += values.count * size
        data.withUnsafeMutableBytes { out in
            for (i, v) in values.enumerated() {
                out.storeBytes(of: v.storedBits.littleEndian, toByteOffset: start + i * size, as: Bits.self)
            }
        }
    }
}
