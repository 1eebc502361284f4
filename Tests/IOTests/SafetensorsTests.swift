import Foundation
import Testing
@testable import ScoreKitIO

@Suite struct SafetensorsTests {
    @Test func readsWhatTheReferenceWrote() throws {
        let contents = try Safetensors.read(contentsOf: Fixture.url("model.safetensors"))
        #expect(contents.metadata == ["format": "pt"])
        // The reference stores by dtype (I64, F64, F32, I32, U8), then by name.
        #expect(contents.tensors.map(\.name) == [
            "step", "ema.sigma_data", "embedding.freqs", "blocks.0.linear.bias", "blocks.0.linear.weight",
            "blocks.1.linear.weight", "labels", "mask",
        ])
        for t in contents.tensors { expectMatches(t.array, try Fixture.expected("st/" + t.name)) }
        #expect(contents.tensors["ema.sigma_data"]?.shape == [])
    }

    @Test(arguments: ["model.safetensors", "plain.safetensors", "empty.safetensors"])
    func encodesByteForByteLikeTheReference(file: String) throws {
        let contents = try Safetensors.read(contentsOf: Fixture.url(file))
        // Shuffle the input order: the writer must order as the reference does.
        let encoded = try Safetensors.encode(contents.tensors.reversed(), metadata: contents.metadata)
        #expect(encoded == (try Fixture.data(file)))
    }

    @Test func writesAFileAndEscapesNames() throws {
        let folder = try TemporaryFolder()
        let tensors = [NamedArray("we\"ird\\name\n", NDArray(shape: [2], storage: .float64([1, 2]))),
                       NamedArray("ok", NDArray(shape: [1, 1], storage: .int64([-5])))]
        try Safetensors.write(tensors, metadata: ["a": "1", "b": "x\ty"], to: folder.file("m.safetensors"))
        let back = try Safetensors.read(contentsOf: folder.file("m.safetensors"))
        #expect(back.metadata == ["a": "1", "b": "x\ty"])
        #expect(Set(back.tensors.map(\.name)) == Set(tensors.map(\.name)))
        #expect(back.tensors["ok"] == tensors[1].array && back.tensors["we\"ird\\name\n"] == tensors[0].array)
        let header = String(decoding: try Data(contentsOf: folder.file("m.safetensors")).dropFirst(8).prefix(40), as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":{\"a\":\"1\",\"b\":\"x\\ty\"}"))
        expectError("invalidArgument") { () throws(IOError) in
            try Safetensors.write([tensors[1], tensors[1]], to: folder.file("dup.safetensors"))
        }
        #expect(folder.contents == ["m.safetensors"])
    }
}

/// Broken and hostile safetensors files.
@Suite struct SafetensorsBadInputTests {
    func file(_ header: String, body: Data = Data(), declaredLength: UInt64? = nil) -> Data {
        var d = Data()
        let h = Data(header.utf8)
        withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { d.append(contentsOf: $0) }
        d.append(h)
        d.append(body)
        return d
    }

    func decode(_ data: Data, limits: IOLimits = .standard) throws(IOError) -> Safetensors.Contents {
        try Safetensors.decode(data, path: "bad.safetensors", limits: limits)
    }

    let body = Data(count: 24)

    @Test func headerLengthAndStart() {
        expectError("truncated", path: "bad.safetensors") { () throws(IOError) in try decode(Data([1, 2, 3])) }
        expectError("truncated") { () throws(IOError) in try decode(file("{}", declaredLength: 1000)) }
        expectError("tooLarge") { () throws(IOError) in try decode(file("{}", declaredLength: UInt64.max)) }
        expectError("tooLarge") { () throws(IOError) in try decode(file("{}", declaredLength: 1 << 40)) }
        expectError("badMagic") { () throws(IOError) in try decode(file("[1, 2]")) }
        expectError("badMagic") { () throws(IOError) in try decode(file("")) }
        let tight = IOLimits(maxBytes: 1 << 20, maxHeaderBytes: 4)
        expectError("tooLarge") { () throws(IOError) in try decode(file("{}    "), limits: tight) }
    }

    @Test(arguments: [
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}",      // unterminated JSON
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 3]}}",                               // no data_offsets
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0]}}",          // one offset
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [-4, 20]}}",     // negative offset
        "{\"a\": {\"dtype\": \"F32\", \"shape\": \"2x3\", \"data_offsets\": [0, 24]}}",      // shape not a list
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [2.5], \"data_offsets\": [0, 24]}}",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 1e40]}}",
        "{\"__metadata__\": {\"k\": 3}, \"a\": {\"dtype\": \"F32\", \"shape\": [6], \"data_offsets\": [0, 24]}}",
        "{\"a\": [1, 2]}",
        "{\"a\": {\"k\": \"v\"}}",
    ])
    func malformedHeaders(header: String) {
        expectError("malformedHeader") { () throws(IOError) in try decode(file(header, body: body)) }
    }

    @Test func badOffsets() {
        let cases: [(String, String)] = [
            // overlapping
            (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, "invalidOffsets"),
            // gap
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}"#, "invalidOffsets"),
            // not starting at 0
            (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, "invalidOffsets"),
            // beyond the file
            (#"{"a":{"dtype":"F64","shape":[4],"data_offsets":[0,32]}}"#, "invalidOffsets"),
            (#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[9223372036854775806],"data_offsets":[1,9223372036854775807]}}"#, "invalidOffsets"),
            // span differs from shape × item size
            (#"{"a":{"dtype":"F32","shape":[5],"data_offsets":[0,24]}}"#, "invalidOffsets"),
            (#"{"a":{"dtype":"F32","shape":[6],"data_offsets":[24,0]}}"#, "invalidOffsets"),
            // data left over after the last tensor
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "invalidOffsets"),
            (#"{}"#, "invalidOffsets"),
            // shapes
            (#"{"a":{"dtype":"F32","shape":[-6],"data_offsets":[0,24]}}"#, "invalidShape"),
            (#"{"a":{"dtype":"F64","shape":[1152921504606846976],"data_offsets":[0,24]}}"#, "invalidShape"),
            (#"{"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,24]}}"#, "invalidShape"),
            // dtypes
            (#"{"a":{"dtype":"BF16","shape":[12],"data_offsets":[0,24]}}"#, "unsupportedDType"),
            (#"{"a":{"dtype":"f32","shape":[6],"data_offsets":[0,24]}}"#, "unsupportedDType"),
        ]
        for (header, kind) in cases {
            expectError(kind) { () throws(IOError) in try decode(file(header, body: body)) }
        }
    }

    @Test func everyTruncationIsAnError() throws {
        let data = try Fixture.data("model.safetensors")
        for n in 0..<data.count {
            #expect(ioError { () throws(IOError) in try decode(data.prefix(n)) } != nil, "cut at \(n)")
        }
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let data = try Fixture.data("model.safetensors")
        var rng = LCG(state: 99)
        for _ in 0..<1500 {
            var bad = data
            for _ in 0..<(1 + rng.next(3)) { bad[rng.next(400)] = UInt8(rng.next(256)) }
            _ = try? decode(bad)
        }
    }
}
