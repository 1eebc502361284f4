import Foundation
import Testing
import ScoreKitNumerics
@testable import ScoreKitIO

@Suite struct AtomicFileTests {
    @Test func writesAndReplacesLeavingNoTemporaryFiles() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("out.bin")
        try AtomicFile.write(Data("first version, longer".utf8), to: url)
        try AtomicFile.write(Data("second".utf8), to: url)
        #expect(try Data(contentsOf: url) == Data("second".utf8))
        try AtomicFile.write(Data(), to: folder.file("empty"))
        #expect(try Data(contentsOf: folder.file("empty")).isEmpty)
        #expect(folder.contents == ["empty", "out.bin"])
    }

    @Test func leftoversOfKilledWritesAreRemovedAndNothingElse() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("ckpt.safetensors")
        try AtomicFile.write(Data("complete".utf8), to: url)
        let uuid = "0F4B6C9E-2D1A-4E3B-9C8D-7A6B5C4D3E2F"
        let names = [".ckpt.safetensors.\(uuid).tmp",       // a killed write of url: removed
                     ".ckpt.safetensors.not-a-uuid.tmp",    // not one of ours: kept
                     ".other.safetensors.\(uuid).tmp",      // another file's write: kept
                     "ckpt.safetensors.\(uuid).tmp"]        // not hidden: kept
        for name in names { try Data([0]).write(to: folder.file(name)) }
        AtomicFile.removeLeftovers(of: url)
        #expect(folder.contents == (Array(names.dropFirst()) + ["ckpt.safetensors"]).sorted())
        #expect(try Data(contentsOf: url) == Data("complete".utf8))
    }

    @Test func failedRenameRemovesTheTemporaryFile() throws {
        let folder = try TemporaryFolder()
        let target = folder.file("taken")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("inside"), withIntermediateDirectories: true)
        expectError("unwritable", path: target.path) { () throws(IOError) in try AtomicFile.write(Data([1, 2, 3]), to: target) }
        #expect(folder.contents == ["taken"])
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("inside").path))
    }

    @Test func missingFolderIsAnErrorForEveryWriter() throws {
        let folder = try TemporaryFolder()
        let nowhere = folder.file("missing/dir/x")
        let m = Matrix<Double>(rows: 1, columns: 1, scalars: [1])
        expectError("unwritable", path: nowhere.path) { () throws(IOError) in try NPY.write(m, to: nowhere) }
        expectError("unwritable") { () throws(IOError) in try NPZ.write([NamedArray("m", NDArray(m))], to: nowhere) }
        expectError("unwritable") { () throws(IOError) in try Safetensors.write([NamedArray("m", NDArray(m))], to: nowhere) }
        expectError("unwritable") { () throws(IOError) in try CSV.write(m, to: nowhere) }
        expectError("unwritable") { () throws(IOError) in try PNG.writeGrid(m, imageHeight: 1, imageWidth: 1, to: nowhere) }
        #expect(folder.contents.isEmpty)
    }
}
