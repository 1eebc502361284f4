import Foundation
import ZIPFoundation

/// gzip decoding (RFC 1952): a 10-byte header with optional extra field, file name, comment and
/// header CRC, a raw deflate body, then the CRC-32 and the size modulo 2^32 (ISIZE) of the
/// uncompressed data, both checked. One member; members over 4 GiB are not supported.
public enum Gzip {
    static let magic: [UInt8] = [0x1F, 0x8B]

    public static func read(contentsOf url: URL, limits: IOLimits = .standard) throws(IOError) -> Data {
        try decompress(FileAccess.contents(of: url, limits: limits), path: url.path, limits: limits)
    }

    /// The uncompressed contents of a gzip stream held in memory; `path` names it in errors.
    public static func decompress(_ data: Data, path: String, limits: IOLimits = .standard) throws(IOError) -> Data {
        let bytes = ByteView(data)
        guard bytes.hasPrefix(magic) else {
            throw bytes.count < 2 ? .truncated(path: path, reason: "\(bytes.count) bytes") : .badMagic(path: path, format: "gzip")
        }
        guard bytes.count >= 18 else { throw .truncated(path: path, reason: "\(bytes.count) bytes, shorter than a gzip header and trailer") }
        guard bytes[2] == 8 else { throw .malformedHeader(path: path, reason: "compression method \(bytes[2]) is not deflate") }
        let flags = bytes[3]
        guard flags & 0xE0 == 0 else { throw .malformedHeader(path: path, reason: "reserved gzip flags set") }
        let bodyEnd = bytes.count - 8
        var offset = 10
        if flags & 0x04 != 0 {                                   // FEXTRA: 2-byte length, then data
            guard offset + 2 <= bodyEnd else { throw .truncated(path: path, reason: "file ends inside the extra field") }
            offset += 2 + bytes.uint16(at: offset)
        }
        for (flag, field) in [(UInt8(0x08), "file name"), (0x10, "comment")] where flags & flag != 0 {
            while offset < bodyEnd && bytes[offset] != 0 { offset += 1 }   // zero-terminated
            guard offset < bodyEnd else { throw .truncated(path: path, reason: "file ends inside the \(field)") }
            offset += 1
        }
        if flags & 0x02 != 0 {                                   // FHCRC: low 16 bits of the header's CRC-32
            guard offset + 2 <= bodyEnd else { throw .truncated(path: path, reason: "file ends inside the header CRC") }
            let expected = bytes.uint16(at: offset)
            guard Int(bytes.slice(0..<offset).crc32(checksum: 0) & 0xFFFF) == expected else {
                throw .corruptData(path: path, reason: "gzip header CRC mismatch")
            }
            offset += 2
        }
        guard offset <= bodyEnd else { throw .truncated(path: path, reason: "no deflate data after the gzip header") }
        let crc = UInt32(bytes.uint32(at: bodyEnd))
        let size = bytes.uint32(at: bodyEnd + 4)
        guard size <= limits.maxBytes else {
            throw .tooLarge(path: path, what: "uncompressed data", bytes: size, limit: limits.maxBytes)
        }
        let inflated = try Deflate.inflate(bytes.slice(offset..<bodyEnd), expectedSize: size, path: path)
        guard inflated.crc32 == crc else { throw .corruptData(path: path, reason: "CRC-32 mismatch") }
        return inflated.data
    }
}
