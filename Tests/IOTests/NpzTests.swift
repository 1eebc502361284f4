import Foundation
import Testing
import ZIPFoundation
@testable import ScoreKitIO

@Suite struct NpzTests {
    static let names = ["sigmas", "x", "denoised", "nfe"]

    @Test(arguments: ["trajectory_stored.npz", "trajectory_deflated.npz"])
    func readsWhatNumpyWrote(file: String) throws {
        let arrays = try NPZ.read(contentsOf: Fixture.url(file))
        #expect(arrays.map(\.name) == Self.names)
        for a in arrays { expectMatches(a.array, try Fixture.expected("npz/" + a.name)) }
        #expect(arrays["nfe"]?.shape == [] && arrays["x"]?.shape == [4, 3, 2])
    }

    @Test(arguments: [false, true])
    func writesArchivesThatZIPFoundationAndTheReaderAgreeOn(compressed: Bool) throws {
        let folder = try TemporaryFolder()
        let arrays = try NPZ.read(contentsOf: Fixture.url("trajectory_stored.npz"))
        let url = folder.file("t.npz")
        try NPZ.write(arrays, to: url, compressed: compressed)
        #expect(try NPZ.read(contentsOf: url) == arrays)
        // An independent zip reader sees NAME.npy members holding exactly np.save's bytes,
        // compressed as asked (each member of the numpy-made archive is np.save output too).
        let numpyZip = try ZipReader(Fixture.data("trajectory_stored.npz"), path: "numpy", limits: .standard)
        let archive = try Archive(url: url, accessMode: .read)
        let entries = Array(archive)
        #expect(entries.map(\.path) == Self.names.map { $0 + ".npy" })
        for (entry, numpyMember) in zip(entries, numpyZip.members) {
            #expect(entry.isCompressed == compressed)
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            #expect(bytes == (try numpyZip.contents(of: numpyMember)))
        }
        #expect(folder.contents == ["t.npz"])
    }

    @Test func rejectsDuplicateOrEmptyNames() throws {
        let folder = try TemporaryFolder()
        let a = NDArray(shape: [1], storage: .uint8([1]))
        expectError("invalidArgument") { () throws(IOError) in try NPZ.write([NamedArray("a", a), NamedArray("a", a)], to: folder.file("d.npz")) }
        expectError("invalidArgument") { () throws(IOError) in try NPZ.write([NamedArray("", a)], to: folder.file("e.npz")) }
        #expect(folder.contents.isEmpty)
    }
}

/// Broken and hostile `.npz` archives.
@Suite struct NpzBadInputTests {
    func decode(_ data: Data, limits: IOLimits = .standard) throws(IOError) -> [NamedArray] {
        try NPZ.decode(data, path: "bad.npz", limits: limits)
    }

    static let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]

    @Test func notAZip() {
        expectError("badMagic", path: "bad.npz") { () throws(IOError) in try decode(Data("\u{93}NUMPY".utf8)) }
        expectError("truncated") { () throws(IOError) in try decode(Data()) }
        expectError("truncated") { () throws(IOError) in try decode(Data("PK\u{3}\u{4} no directory".utf8)) }
    }

    @Test func everyTruncationIsAnError() throws {
        for name in ["trajectory_stored.npz", "trajectory_deflated.npz"] {
            let file = try Fixture.data(name)
            for n in 0..<file.count {
                #expect(ioError { () throws(IOError) in try decode(file.prefix(n)) } != nil, "\(name) cut at \(n)")
            }
        }
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let file = try Fixture.data("trajectory_deflated.npz")
        var rng = LCG(state: 7)
        for _ in 0..<1500 {
            var bad = file
            for _ in 0..<(1 + rng.next(4)) { bad[rng.next(bad.count)] = UInt8(rng.next(256)) }
            _ = try? decode(bad)
        }
    }

    @Test func crcMismatch() throws {
        var file = try Fixture.data("trajectory_stored.npz")
        let entry = try #require(file.offsets(of: Self.central).first)
        file.setLE(file.le(UInt32.self, at: entry + 16) ^ 1, at: entry + 16)
        expectError("corruptData", path: "bad.npz[sigmas.npy]") { () throws(IOError) in try decode(file) }
    }

    @Test func corruptDeflateData() throws {
        var file = try Fixture.data("trajectory_deflated.npz")
        // The first member's deflate data starts after its 30-byte local header, name and extra field.
        let dataStart = 30 + Int(file.le(UInt16.self, at: 26)) + Int(file.le(UInt16.self, at: 28))
        for i in dataStart..<(dataStart + 20) { file[i] = 0xFF }
        let error = ioError { () throws(IOError) in try decode(file) }
        #expect(["corruptData", "sizeMismatch", "truncated"].contains(error?.kind), "\(String(describing: error))")
    }

    @Test func memberThatInflatesPastItsDeclaredSize() throws {
        // 1 MB of zeros deflate to a few KB; the directory then claims 1,000 bytes.
        let zeros = NDArray(shape: [1 << 20], storage: .uint8([UInt8](repeating: 0, count: 1 << 20)))
        var file = try NPZ.encode([NamedArray("zeros", zeros)], compressed: true, path: "bomb.npz")
        #expect(file.count < 20_000)
        let entry = try #require(file.offsets(of: Self.central).first)
        file.setLE(UInt32(1000), at: entry + 24)
        expectError("sizeMismatch", path: "bad.npz[zeros.npy]") { () throws(IOError) in try decode(file) }
    }

    @Test func declaredSizesBeyondTheLimit() throws {
        let zeros = NDArray(shape: [1 << 20], storage: .uint8([UInt8](repeating: 0, count: 1 << 20)))
        let file = try NPZ.encode([NamedArray("zeros", zeros)], compressed: true, path: "bomb.npz")
        expectError("tooLarge") { () throws(IOError) in try decode(file, limits: IOLimits(maxBytes: 1 << 19, maxHeaderBytes: 1024)) }
        // A declared size of 4 GiB − 16 is refused before any inflation.
        var huge = file
        let entry = try #require(huge.offsets(of: Self.central).first)
        huge.setLE(UInt32.max - 16, at: entry + 24)
        expectError("tooLarge") { () throws(IOError) in try decode(huge) }
        // The archive total counts too: two members, each under the limit, together over it.
        let small = try NPZ.encode([NamedArray("a", zeros), NamedArray("b", zeros)], compressed: true, path: "two.npz")
        expectError("tooLarge") { () throws(IOError) in try decode(small, limits: IOLimits(maxBytes: 3 << 19, maxHeaderBytes: 1024)) }
    }

    @Test func offsetsOutsideTheArchive() throws {
        let file = try Fixture.data("trajectory_stored.npz")
        let entry = try #require(file.offsets(of: Self.central).first)
        var badLocal = file
        badLocal.setLE(UInt32(0x7FFF_FFF0), at: entry + 42)
        expectError("malformedHeader") { () throws(IOError) in try decode(badLocal) }
        var badSize = file
        badSize.setLE(UInt32(0x0FFF_FFF0), at: entry + 20)   // stored member longer than the archive
        #expect(ioError { () throws(IOError) in try decode(badSize) } != nil)
        let end = try #require(file.offsets(of: [0x50, 0x4B, 0x05, 0x06]).last)
        var badDirectory = file
        badDirectory.setLE(UInt32(0xFFFF_FF00), at: end + 16)   // central directory offset beyond the file
        expectError("truncated") { () throws(IOError) in try decode(badDirectory) }
        var zip64 = file
        zip64.setLE(UInt32.max, at: end + 16)   // claims ZIP64 without a ZIP64 record
        expectError("malformedHeader") { () throws(IOError) in try decode(zip64) }
    }

    @Test func membersMustBeNpyArrays() throws {
        let archive = try Archive(data: Data(), accessMode: .create)
        let text = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(text.count)) { p, n in
            text[Int(p)..<(Int(p) + n)]
        }
        let data = try #require(archive.data)
        expectError("malformedHeader", path: "bad.npz[readme.txt]") { () throws(IOError) in try decode(data) }
    }
}
