import Foundation
import ZIPFoundation

/// Raw deflate streams (RFC 1951) through ZIPFoundation's zlib bindings, with the guards that
/// untrusted input needs, plus the zlib wrapper (RFC 1950) that PNG uses.
enum Deflate {
    private static let bufferSize = 1 << 16

    /// Inflates a raw deflate stream that its container declares to hold `expectedSize` bytes
    /// (callers check that size against `IOLimits` first) and returns the data with its CRC-32.
    /// Inflation stops with an error as soon as it passes `expectedSize`, so a zip bomb never
    /// gets to allocate more than it declared; ending short of it is an error too.
    ///
    /// ZIPFoundation's Linux decoder tells zlib that every input chunk holds a full buffer and
    /// keeps asking for input until the stream ends, so the provider here always hands over
    /// exactly the requested number of bytes (zero-padding the last chunk, which a valid stream
    /// never reaches) and fails once the input is used up: a truncated stream becomes an error
    /// (the caller's CRC and size checks catch anything decoded from the padding), not a loop.
    static func inflate(_ input: Data, expectedSize: Int, path: String) throws(IOError) -> (data: Data, crc32: UInt32) {
        var output = Data()
        var offset = 0
        let crc: CRC32
        do {
            crc = try Data.decompress(size: Int64(input.count), bufferSize: bufferSize, skipCRC32: false,
                                      provider: { _, requested in
                guard requested == 0 || offset < input.count else {
                    throw IOError.truncated(path: path, reason: "deflate stream ends before its end marker")
                }
                let end = min(offset + requested, input.count)
                var chunk = Data(input[(input.startIndex + offset)..<(input.startIndex + end)])
                offset = end
                if chunk.count < requested { chunk.append(Data(count: requested - chunk.count)) }
                return chunk
            }, consumer: { chunk in
                guard chunk.count <= expectedSize - output.count else {
                    throw IOError.sizeMismatch(path: path, reason: "data inflates past its declared size of \(expectedSize) bytes")
                }
                output.append(chunk)
            })
        } catch let error as IOError {
            throw error
        } catch {
            throw .corruptData(path: path, reason: "invalid deflate data")
        }
        guard output.count == expectedSize else {
            throw .sizeMismatch(path: path, reason: "data inflates to \(output.count) bytes, declared \(expectedSize)")
        }
        return (output, crc)
    }

    /// A raw deflate stream of `input` (zlib's default level).
    static func compress(_ input: Data, path: String) throws(IOError) -> Data {
        var output = Data()
        do {
            _ = try Data.compress(size: Int64(input.count), bufferSize: bufferSize, provider: { position, size in
                let start = input.startIndex + Int(position)
                return input[start..<(start + size)]
            }, consumer: { output.append($0) })
        } catch {
            throw .unwritable(path: path, reason: "deflate failed: \(error)")
        }
        return output
    }

    /// A zlib stream (RFC 1950): header `78 9C` (deflate, 32 KiB window, default level; the
    /// 16-bit value is a multiple of 31), raw deflate data, Adler-32 of the input, big-endian.
    static func zlibCompress(_ input: Data, path: String) throws(IOError) -> Data {
        var out = Data([0x78, 0x9C])
        out.append(try compress(input, path: path))
        withUnsafeBytes(of: adler32(input).bigEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// Adler-32 (RFC 1950 §8.2): two sums modulo 65521, reduced every 5552 bytes (the most that
    /// cannot overflow 32 bits, zlib's `NMAX`).
    static func adler32(_ data: Data) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        data.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(start + 5552, bytes.count)
                for i in start..<end {
                    a &+= UInt32(bytes[i])
                    b &+= a
                }
                a %= 65521
                b %= 65521
                start = end
            }
        }
        return b << 16 | a
    }
}
