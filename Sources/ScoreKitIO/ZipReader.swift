import Foundation
import ScoreKitNumerics
import ZIPFoundation

/// Reads the members of a zip archive (PKWARE APPNOTE 6.3: end-of-central-directory record,
/// central directory, local headers; ZIP64 sizes and offsets) held in memory.
///
/// Writing goes through ZIPFoundation's `Archive`; reading is parsed here because untrusted
/// archives need every offset checked: ZIPFoundation 0.9.20 converts ZIP64 offsets to `off_t`
/// unchecked (a trap on values ≥ 2^63), and its Linux inflate loop keeps asking for input at
/// the end of the file without failing, so a truncated member can make it spin forever. Every offset and size is checked against the archive before use, the declared sizes
/// are summed against `IOLimits.maxBytes` (overlapping-member bombs), deflated members inflate
/// through `Deflate.inflate`, which stops at the declared size, and every CRC-32 is verified.
struct ZipReader {
    struct Member {
        let name: String
        let deflated: Bool
        let crc32: UInt32
        let uncompressedSize: Int
        /// The stored (possibly deflated) bytes.
        let payload: Data
    }

    let members: [Member]
    let path: String

    private static let endRecordSignature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    private static let zip64LocatorSignature: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
    private static let zip64EndRecordSignature: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
    private static let centralSignature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    private static let localSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    init(_ data: Data, path: String, limits: IOLimits) throws(IOError) {
        self.path = path
        let bytes = ByteView(data)
        guard bytes.hasPrefix([0x50, 0x4B]) else {
            throw bytes.count < 2 ? .truncated(path: path, reason: "\(bytes.count) bytes") : .badMagic(path: path, format: "zip (npz)")
        }
        let directory = try Self.centralDirectory(bytes, path: path)
        var members = [Member]()
        var offset = directory.offset
        var totalSize = 0
        for _ in 0..<directory.entries {
            let (member, next) = try Self.member(at: offset, in: bytes, directory: directory.offset..<directory.end, path: path)
            guard let total = CheckedArithmetic.sum(totalSize, member.uncompressedSize), total <= limits.maxBytes else {
                throw .tooLarge(path: path, what: "inflated archive", bytes: totalSize &+ member.uncompressedSize, limit: limits.maxBytes)
            }
            totalSize = total
            members.append(member)
            offset = next
        }
        self.members = members
    }

    /// The member's uncompressed bytes, CRC-checked.
    func contents(of member: Member) throws(IOError) -> Data {
        let location = "\(path)[\(member.name)]"
        let data: Data
        let crc: UInt32
        if member.deflated {
            (data, crc) = try Deflate.inflate(member.payload, expectedSize: member.uncompressedSize, path: location)
        } else {
            (data, crc) = (member.payload, member.payload.crc32(checksum: 0))
        }
        guard crc == member.crc32 else { throw .corruptData(path: location, reason: "CRC-32 mismatch") }
        return data
    }

    /// Where the central directory is and how many entries it has, from the end record (and the
    /// ZIP64 end record when a field is saturated).
    private static func centralDirectory(_ bytes: ByteView, path: String) throws(IOError) -> (offset: Int, end: Int, entries: Int) {
        // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
        var end = bytes.count - 22
        let earliest = max(0, bytes.count - 22 - 65535)
        while end >= earliest && !bytes.hasPrefix(endRecordSignature, at: end) { end -= 1 }
        guard end >= earliest else { throw .truncated(path: path, reason: "no zip end-of-central-directory record") }
        guard bytes.uint16(at: end + 4) == 0, bytes.uint16(at: end + 6) == 0 else {
            throw .malformedHeader(path: path, reason: "multi-disk zip archives are not supported")
        }
        var entries = bytes.uint16(at: end + 10)
        var size = UInt64(bytes.uint32(at: end + 12))
        var offset = UInt64(bytes.uint32(at: end + 16))
        var recordStart = end
        if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            let locator = end - 20
            guard locator >= 0, bytes.hasPrefix(zip64LocatorSignature, at: locator) else {
                throw .malformedHeader(path: path, reason: "ZIP64 end-of-central-directory locator missing")
            }
            guard let record = Int(exactly: bytes.uint64(at: locator + 8)), record <= locator - 56,
                  bytes.hasPrefix(zip64EndRecordSignature, at: record) else {
                throw .malformedHeader(path: path, reason: "ZIP64 end-of-central-directory record missing")
            }
            guard let count = Int(exactly: bytes.uint64(at: record + 32)) else {
                throw .malformedHeader(path: path, reason: "impossible ZIP64 entry count")
            }
            entries = count
            size = bytes.uint64(at: record + 40)
            offset = bytes.uint64(at: record + 48)
            recordStart = record
        }
        guard let start = Int(exactly: offset), let length = Int(exactly: size),
              let stop = CheckedArithmetic.sum(start, length), stop <= recordStart else {
            throw .truncated(path: path, reason: "central directory at \(offset) (\(size) bytes) lies outside the archive")
        }
        return (start, stop, entries)
    }

    /// The central-directory entry at `offset`, its data located through its local header (which
    /// with the data must lie before the directory), and the offset of the next entry.
    private static func member(at offset: Int, in bytes: ByteView, directory: Range<Int>, path: String) throws(IOError) -> (Member, next: Int) {
        guard offset + 46 <= directory.upperBound, bytes.hasPrefix(centralSignature, at: offset) else {
            throw .malformedHeader(path: path, reason: "bad central directory entry at offset \(offset)")
        }
        let flags = bytes.uint16(at: offset + 8)
        let method = bytes.uint16(at: offset + 10)
        let crc = UInt32(bytes.uint32(at: offset + 16))
        var compressed = UInt64(bytes.uint32(at: offset + 20))
        var uncompressed = UInt64(bytes.uint32(at: offset + 24))
        let nameLength = bytes.uint16(at: offset + 28)
        let extraLength = bytes.uint16(at: offset + 30)
        let commentLength = bytes.uint16(at: offset + 32)
        var localOffset = UInt64(bytes.uint32(at: offset + 42))
        let next = offset + 46 + nameLength + extraLength + commentLength
        guard next <= directory.upperBound else { throw .truncated(path: path, reason: "central directory entry at \(offset) runs past the directory") }
        let name = String(decoding: bytes.bytes((offset + 46)..<(offset + 46 + nameLength)), as: UTF8.self)
        let member = "\(path)[\(name)]"
        guard flags & 0x01 == 0 else { throw .malformedHeader(path: member, reason: "encrypted zip members are not supported") }
        guard method == 0 || method == 8 else {
            throw .malformedHeader(path: member, reason: "zip compression method \(method) is not stored (0) or deflate (8)")
        }
        // ZIP64 extended information (tag 1): 8-byte values for exactly the saturated fields, in order.
        var extra = offset + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let tag = bytes.uint16(at: extra), length = bytes.uint16(at: extra + 2)
            let body = extra + 4
            guard body + length <= extraEnd else { throw .malformedHeader(path: member, reason: "extra field runs past its entry") }
            if tag == 1 {
                var field = body
                func take(_ value: inout UInt64) throws(IOError) {
                    guard value == 0xFFFF_FFFF else { return }
                    guard field + 8 <= body + length else { throw .malformedHeader(path: member, reason: "ZIP64 extra field too short") }
                    value = bytes.uint64(at: field)
                    field += 8
                }
                try take(&uncompressed)
                try take(&compressed)
                try take(&localOffset)
            }
            extra = body + length
        }
        guard let local = Int(exactly: localOffset), local <= directory.lowerBound - 30,
              bytes.hasPrefix(localSignature, at: local) else {
            throw .malformedHeader(path: member, reason: "no local header at offset \(localOffset)")
        }
        let dataStart = local + 30 + bytes.uint16(at: local + 26) + bytes.uint16(at: local + 28)
        guard let storedSize = Int(exactly: compressed), let size = Int(exactly: uncompressed),
              let dataEnd = CheckedArithmetic.sum(dataStart, storedSize), dataEnd <= directory.lowerBound else {
            throw .truncated(path: member, reason: "member data (\(compressed) bytes at \(dataStart)) runs into the central directory")
        }
        guard method == 8 || storedSize == size else {
            throw .sizeMismatch(path: member, reason: "stored member of \(storedSize) bytes declares \(size) bytes")
        }
        return (Member(name: name, deflated: method == 8, crc32: crc, uncompressedSize: size,
                       payload: bytes.slice(dataStart..<dataEnd)), next)
    }
}
