import Foundation
import Testing
@testable import ScoreKitIO

/// Hostile and broken `.npy` files: each must give its own `IOError`, never a crash or a huge allocation.
@Suite struct NpyBadInputTests {
    func decode(_ data: Data, limits: IOLimits = .standard) throws(IOError) -> NDArray {
        try NPY.decode(data, path: "bad.npy", limits: limits)
    }

    func header(_ dict: String, payload: Data = Data()) -> Data { npyFile(header: dict, payload: payload) }

    @Test func missingFileAndFolder() throws {
        let folder = try TemporaryFolder()
        let missing = folder.file("nope.npy")
        expectError("fileNotFound", path: missing.path) { () throws(IOError) in try NPY.read(contentsOf: missing) }
        expectError("fileNotFound") { () throws(IOError) in try NPY.read(contentsOf: folder.file("no/such/dir.npy")) }
        expectError("unreadable", path: folder.url.path) { () throws(IOError) in try NPY.read(contentsOf: folder.url) }
    }

    @Test func fileLargerThanTheLimitIsNotRead() throws {
        let url = try Fixture.url("f8_2d.npy")
        let small = IOLimits(maxBytes: 100, maxHeaderBytes: 1000)
        expectError("tooLarge", path: url.path) { () throws(IOError) in try NPY.read(contentsOf: url, limits: small) }
    }

    @Test func signatureAndVersion() {
        expectError("truncated", path: "bad.npy") { () throws(IOError) in try decode(Data()) }
        expectError("truncated") { () throws(IOError) in try decode(Data([0x93, 0x4E, 0x55])) }
        expectError("badMagic") { () throws(IOError) in try decode(Data("PK\u{3}\u{4}rest of a zip".utf8)) }
        expectError("badMagic") { () throws(IOError) in try decode(Data("\u{93}NUMPZ\u{1}\u{0}".utf8)) }
        var v4 = header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", payload: doubles([1]))
        v4[6] = 4
        expectError("malformedHeader") { () throws(IOError) in try decode(v4) }
        expectError("truncated") { () throws(IOError) in try decode(Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0x40])) }
    }

    @Test func headerLengthBeyondTheFileOrTheLimit() throws {
        var file = header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", payload: doubles([1]))
        file.setLE(UInt16(5000), at: 8)
        expectError("truncated") { () throws(IOError) in try decode(file) }
        var v2 = npyFile(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", version: 2, payload: doubles([1]))
        v2.setLE(UInt32.max, at: 8)
        expectError("tooLarge") { () throws(IOError) in try decode(v2) }
        let tight = IOLimits(maxBytes: 1 << 20, maxHeaderBytes: 16)
        expectError("tooLarge") { () throws(IOError) in try decode(header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"), limits: tight) }
    }

    @Test(arguments: [
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4}",      // unbalanced
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), ",    // unterminated dict
        "{'descr': '<f8, 'fortran_order': False, 'shape': (3,)}",        // bad quoting
        "{'descr': '<f8' 'fortran_order': False, 'shape': (3,)}",        // missing comma
        "[('descr', '<f8')]",                                            // not a dict
        "{'descr': '<f8', 'shape': (3,)}",                               // missing key
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1}", // extra key
        "{'descr': '<f8', 'fortran_order': 'no', 'shape': (3,)}",        // fortran_order not a bool
        "{'descr': '<f8', 'fortran_order': False, 'shape': [3]}",        // shape not a tuple
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3.5,)}",     // not an integer
        "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
        "{'descr': '<f8', 'fortran_order': Maybe, 'shape': (3,)}",
        "{1: '<f8'}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,)} trailing",
        "",
    ])
    func malformedHeaders(dict: String) {
        expectError("malformedHeader") { () throws(IOError) in try decode(header(dict, payload: doubles([1, 2, 3]))) }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000)
        expectError("malformedHeader") { () throws(IOError) in
            try decode(header("{'descr': '<f8', 'fortran_order': False, 'shape': \(deep)}"))
        }
    }

    @Test(arguments: ["<f2", "<c16", "|f8", "O", "<U5", "<M8[s]", "f", "", "<i2"])
    func unknownDtypes(descr: String) {
        expectError("unsupportedDType") { () throws(IOError) in
            try decode(header("{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }", payload: doubles([1])))
        }
    }

    @Test func structuredDtypeIsUnsupported() {
        expectError("unsupportedDType") { () throws(IOError) in
            try decode(header("{'descr': [('a', '<f4'), ('b', '<i8')], 'fortran_order': False, 'shape': (1,), }"))
        }
    }

    @Test func absurdShapes() {
        let cases: [(String, String)] = [
            ("(-1, 3)", "invalidShape"),
            ("(3, -2)", "invalidShape"),
            ("(1152921504606846976,)", "invalidShape"),        // 2^60 doubles = 2^63 bytes: overflows
            ("(1099511627776, 1099511627776)", "invalidShape"), // 2^40 · 2^40 overflows Int
            ("(1048576, 1048576, 1048576, 1048576)", "invalidShape"),
            ("(4611686018427387904,)", "tooLarge"),           // 2^62 bytes of u1: over the limit
            ("(1000000,)", "truncated"),                      // promises 8 MB, file has 24 bytes
            ("(2,)", "sizeMismatch"),                         // 24 bytes where 16 are due
        ]
        for (shape, kind) in cases {
            let descr = shape == "(4611686018427387904,)" ? "|u1" : "<f8"
            expectError(kind) { () throws(IOError) in
                try decode(header("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }", payload: doubles([1, 2, 3])))
            }
        }
    }

    @Test func everyTruncationOfAValidFileIsAnError() throws {
        for name in ["f8_3d.npy", "be_f8_fortran_2d.npy", "f8_v2.npy"] {
            let file = try Fixture.data(name)
            for n in 0..<file.count {
                #expect(ioError { () throws(IOError) in try decode(file.prefix(n)) } != nil, "\(name) cut at \(n)")
            }
        }
    }

    @Test func corruptedHeadersNeverCrash() throws {
        let file = try Fixture.data("f8_2d.npy")
        var rng = LCG(state: 42)
        for _ in 0..<2000 {
            var bad = file
            for _ in 0..<(1 + rng.next(3)) { bad[rng.next(128)] = UInt8(rng.next(256)) }
            if let array = try? decode(bad) { #expect(array.count * array.dtype.itemSize <= file.count) }
        }
    }
}
