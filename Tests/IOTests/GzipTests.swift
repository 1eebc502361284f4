import Foundation
import Testing
@testable import ScoreKitIO

@Suite struct GzipTests {
    func decompress(_ data: Data, limits: IOLimits = .standard) throws(IOError) -> Data {
        try Gzip.decompress(data, path: "t.gz", limits: limits)
    }

    @Test(arguments: ["ints_named.csv.gz", "ints_plain.csv.gz"])
    func inflatesWhatPythonGzipWrote(file: String) throws {
        let out = try Gzip.read(contentsOf: Fixture.url(file))
        let e = try Fixture.expected("gzip_payload")
        #expect(out.count == e.size && referenceCRC32(out) == e.crc32)
        #expect(out == (try Fixture.data("ints.csv")))
    }

    /// The deflate body of the header-less fixture (10-byte header, 8-byte trailer).
    func parts() throws -> (body: Data, trailer: Data) {
        let file = try Fixture.data("ints_plain.csv.gz")
        return (file.subdata(in: 10..<(file.count - 8)), file.subdata(in: (file.count - 8)..<file.count))
    }

    @Test func optionalHeaderFields() throws {
        let (body, trailer) = try parts()
        var header = Data([0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3])
        header.append(contentsOf: [5, 0, 1, 2, 3, 4, 5])                        // FEXTRA, 5 bytes
        header.append(contentsOf: Array("name.csv".utf8) + [0])                  // FNAME
        header.append(contentsOf: Array("a comment".utf8) + [0])                 // FCOMMENT
        let crc16 = UInt16(truncatingIfNeeded: referenceCRC32(header))
        var good = header
        good.append(contentsOf: [UInt8(crc16 & 0xFF), UInt8(crc16 >> 8)])          // FHCRC
        #expect(try decompress(good + body + trailer) == (try Fixture.data("ints.csv")))
        var bad = header
        bad.append(contentsOf: [UInt8(crc16 & 0xFF) ^ 1, UInt8(crc16 >> 8)])
        expectError("corruptData") { () throws(IOError) in try decompress(bad + body + trailer) }
    }

    @Test func badHeadersAndTrailers() throws {
        let file = try Fixture.data("ints_plain.csv.gz")
        expectError("badMagic", path: "t.gz") { () throws(IOError) in try decompress(Data("plain text, not gzip".utf8)) }
        var method = file; method[2] = 9
        expectError("malformedHeader") { () throws(IOError) in try decompress(method) }
        var reserved = file; reserved[3] = 0x80
        expectError("malformedHeader") { () throws(IOError) in try decompress(reserved) }
        var crc = file; crc[file.count - 8] ^= 0x55
        expectError("corruptData") { () throws(IOError) in try decompress(crc) }
        var size = file; size.setLE(size.le(UInt32.self, at: file.count - 4) + 1, at: file.count - 4)
        expectError("sizeMismatch") { () throws(IOError) in try decompress(size) }
        var huge = file; huge.setLE(UInt32.max, at: file.count - 4)
        expectError("tooLarge") { () throws(IOError) in try decompress(huge, limits: IOLimits(maxBytes: 1 << 30, maxHeaderBytes: 1)) }
        var unterminatedName = Data([0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3]); unterminatedName.append(Data(repeating: 65, count: 30))
        expectError("truncated") { () throws(IOError) in try decompress(unterminatedName) }
        var longExtra = Data([0x1F, 0x8B, 8, 0x04, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF]); longExtra.append(Data(count: 20))
        expectError("truncated") { () throws(IOError) in try decompress(longExtra) }
    }

    @Test func everyTruncationIsAnError() throws {
        let file = try Fixture.data("ints_named.csv.gz")
        for n in 0..<file.count {
            #expect(ioError { () throws(IOError) in try decompress(file.prefix(n)) } != nil, "cut at \(n)")
        }
    }

    @Test func corruptBodiesNeverCrashOrHang() throws {
        let file = try Fixture.data("ints_plain.csv.gz")
        let original = try Fixture.data("ints.csv")
        var rng = LCG(state: 3)
        for _ in 0..<1000 {
            var bad = file
            bad[10 + rng.next(file.count - 18)] = UInt8(rng.next(256))
            // Only a change in the unused padding bits of the last byte may still decode, identically.
            if let out = try? decompress(bad) { #expect(out == original) }
        }
    }

    @Test func inflationStopsAtTheDeclaredSize() throws {
        // 8 MB of zeros as a gzip whose trailer claims 100 bytes: refused after 100 bytes.
        let zeros = Data(count: 8 << 20)
        var bomb = Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3])
        bomb.append(try Deflate.compress(zeros, path: "z"))
        bomb.append(contentsOf: [0, 0, 0, 0, 100, 0, 0, 0])
        expectError("sizeMismatch") { () throws(IOError) in try decompress(bomb) }
    }
}
