import Foundation
import Testing
@testable import ScoreKitIO

/// Resource bounds (issue 9): a file whose headers promise more data than it holds, or more than
/// `IOLimits`, is refused before anything of that size is allocated; an archive whose members
/// together inflate past the limit is refused before any member is inflated; every size computed
/// from untrusted numbers is overflow-checked. The "before allocating" cases run with no limit at
/// all (`Int.max`), so a reader that allocated what the header claims would die here instead of
/// throwing.
@Suite struct RegressionResourceBoundsTests {
    static let unlimited = IOLimits(maxBytes: .max, maxHeaderBytes: .max)
    static let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    static let endRecord: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    static let zip64Record: [UInt8] = [0x50, 0x4B, 0x06, 0x06]

    // MARK: promises beyond the file, with no limit to stop them

    @Test func npyPayloadOfATerabyteInASmallFileIsTruncatedNotAllocated() {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (131072, 1048576), }"
        var file = Data(NPY.magic + [1, 0])
        let padded = header + String(repeating: " ", count: 64 - (10 + header.count + 1) % 64) + "\n"
        file.append(contentsOf: [UInt8(padded.utf8.count & 0xFF), UInt8(padded.utf8.count >> 8)])
        file.append(contentsOf: Array(padded.utf8))
        file.append(Data(count: 64))
        expectError("truncated") { () throws(IOError) in
            try NPY.decode(file, path: "tb.npy", limits: Self.unlimited)
        }
    }

    @Test func safetensorsTensorOfATerabyteInASmallFileIsRefusedNotAllocated() {
        let json = #"{"a":{"dtype":"F64","shape":[131072,1048576],"data_offsets":[0,1099511627776]}}"#
        var file = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: Array(json.utf8))
        file.append(Data(count: 64))
        expectError("invalidOffsets") { () throws(IOError) in
            try Safetensors.decode(file, path: "tb.safetensors", limits: Self.unlimited)
        }
    }

    @Test func safetensorsHeaderLengthBeyondTheFileIsNotAllocated() {
        var file = Data()
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: Array("{}".utf8))
        expectError("truncated") { () throws(IOError) in
            try Safetensors.decode(file, path: "h.safetensors", limits: Self.unlimited)
        }
    }

    /// A megabyte of nested JSON arrays in a safetensors header: the JSON parser's depth limit,
    /// not the stack, has to stop it.
    @Test func deeplyNestedSafetensorsHeaderIsAnErrorNotAStackOverflow() {
        let json = #"{"a":{"dtype":"F32","shape":"# + String(repeating: "[", count: 1 << 20) + "]}}"
        var file = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: Array(json.utf8))
        expectError("malformedHeader") { () throws(IOError) in
            try Safetensors.decode(file, path: "deep.safetensors", limits: .standard)
        }
    }

    // MARK: zip bombs

    /// The overlapping-member bomb (Fifield 2019, "A better zip bomb"): many central-directory
    /// entries share one deflated local file, so the archive's declared total is N times the one
    /// member. The total is checked before any inflation: the shared data is made corrupt here,
    /// so inflating it first would report `corruptData` instead of `tooLarge`.
    @Test func overlappingMembersAreRefusedOnTheirDeclaredTotal() throws {
        let zeros = NDArray(shape: [1 << 20], storage: .uint8([UInt8](repeating: 0, count: 1 << 20)))
        let single = try NPZ.encode([NamedArray("a", zeros)], compressed: true, path: "bomb.npz")
        let limit = IOLimits(maxBytes: 4 << 20, maxHeaderBytes: 1 << 16)
        let three = overlapping(single, copies: 3)
        #expect(try NPZ.decode(three, path: "three.npz", limits: limit).map(\.name) == ["a", "b", "c"])
        var bomb = overlapping(single, copies: 16)
        bomb[bomb.startIndex + 200] ^= 0xFF   // inside the deflated zeros
        expectError("tooLarge", path: "bomb.npz") { () throws(IOError) in
            try NPZ.decode(bomb, path: "bomb.npz", limits: limit)
        }
    }

    /// `single` (one member named `a.npy`) with its central-directory entry repeated `copies`
    /// times, renamed `b.npy`, `c.npy`, …, all pointing at the same local header and data.
    func overlapping(_ single: Data, copies: Int) -> Data {
        let bytes = [UInt8](single)
        let start = single.offsets(of: Self.central)[0]
        let end = single.offsets(of: Self.endRecord).last!
        let entry = Array(bytes[start..<end])
        var out = Array(bytes[..<start])
        for k in 0..<copies {
            var renamed = entry
            renamed[46] = UInt8(ascii: "a") + UInt8(k)
            out += renamed
        }
        var record = Array(bytes[end...])
        for (offset, value) in [(8, copies), (10, copies)] {
            record[offset] = UInt8(value & 0xFF)
            record[offset + 1] = UInt8(value >> 8)
        }
        let size = UInt32(entry.count * copies)
        withUnsafeBytes(of: size.littleEndian) { record.replaceSubrange(12..<16, with: $0) }
        return Data(out + record)
    }

    // MARK: ZIP64 sizes, counts and offsets

    @Test func zip64ArchiveReads() throws {
        let arrays = try NPZ.decode(RegressionFixture.data("zip64_full.npz"), path: "zip64.npz", limits: .standard)
        #expect(arrays.map(\.name) == ["a", "b"])
        #expect(arrays[0].array.shape == [4] && arrays[0].array.scalars(as: Double.self) == [0, 1, 2, 3])
        #expect(arrays[1].array.shape == [2, 3] && arrays[1].array.scalars(as: Double.self) == [1, 2, 3, 4, 5, 6])
    }

    @Test func zip64EntryCountsBeyondTheDirectoryAreErrors() throws {
        let file = try RegressionFixture.data("zip64_full.npz")
        let record = try #require(file.offsets(of: Self.zip64Record).last)
        for count in [UInt64(3), 1 << 62, UInt64(Int.max), 1 << 63, .max] {
            var bad = file
            bad.setLE(count, at: record + 32)
            #expect(ioError { () throws(IOError) in try NPZ.decode(bad, path: "n.npz", limits: .standard) } != nil,
                    "entry count \(count)")
        }
    }

    @Test func zip64DirectoryOffsetsAndSizesThatOverflowAreErrors() throws {
        let file = try RegressionFixture.data("zip64_full.npz")
        let record = try #require(file.offsets(of: Self.zip64Record).last)
        for (field, value) in [(40, UInt64.max), (48, UInt64.max), (40, UInt64(Int.max)), (48, UInt64(Int.max) - 10)] {
            var bad = file
            bad.setLE(value, at: record + field)
            expectError("truncated") { () throws(IOError) in try NPZ.decode(bad, path: "o.npz", limits: .standard) }
        }
    }

    /// The tag-1 extra field of each central entry holds (uncompressed, compressed, local offset).
    /// Sizes of 2⁶³ and more do not fit an `Int`; 2⁶² passes the limit when there is none, and
    /// must still fail on the data (stored: size mismatch; deflated: inflation stops short).
    @Test func zip64MemberSizesBeyondTheDataAreErrors() throws {
        let file = try RegressionFixture.data("zip64_full.npz")
        let entries = file.offsets(of: Self.central)
        #expect(entries.count == 2)
        for entry in entries {
            let extra = entry + 46 + 5 + 4   // after the 5-byte name and the tag and length
            for (field, value) in [(0, UInt64.max), (0, 1 << 63), (8, 1 << 63), (16, 1 << 63), (0, 1 << 62), (8, 1 << 62)] {
                var bad = file
                bad.setLE(value, at: extra + field)
                #expect(ioError { () throws(IOError) in try NPZ.decode(bad, path: "s.npz", limits: Self.unlimited) } != nil,
                        "field \(field) = \(value) at entry \(entry)")
            }
        }
    }
}
