import Foundation
import PropertyBased
import ScoreKit
import Testing

/// Writing an array to `.npy` or `.safetensors` and reading it back gives the same shape, dtype and
/// element bit patterns (NaN payloads and −0 included), for random shapes of rank 0–4 with empty
/// dimensions and every dtype.
@Suite struct FileRoundTripProperties {
    static let shape = Gen.int(in: 0...4).array(of: 0...4)
    static let dtype = Gen<DType>.case

    @Test func npyWriteThenReadIsTheIdentity() async throws {
        let folder = try ScratchFolder()
        await propertyCheck(count: 120, input: Self.shape, Self.dtype, Gens.seed) { shape, dtype, seed in
            let array = randomArray(shape: shape, dtype: dtype, seed: seed)
            let url = folder.url.appendingPathComponent("a.npy")
            try NPY.write(array, to: url)
            let back = try NPY.read(contentsOf: url)
            #expect(back.shape == shape)
            #expect(back.dtype == dtype)
            #expect(bitPatterns(back.storage) == bitPatterns(array.storage))
        }
    }

    @Test func safetensorsWriteThenReadIsTheIdentity() async throws {
        let folder = try ScratchFolder()
        let tensors = zip(Self.shape, Self.dtype, Gens.seed).array(of: 0...4)
        // Metadata values with any Latin-1 character: quotes, backslashes and control characters
        // exercise the JSON escaping.
        let metadata = Gen.latin1.string(of: 0...8).array(of: 0...3)
        await propertyCheck(count: 80, input: tensors, metadata) { specs, words in
            let arrays = specs.enumerated().map { i, spec in
                NamedArray("t\(i)_\(spec.2 % 97)", randomArray(shape: spec.0, dtype: spec.1, seed: spec.2))
            }
            let meta = Dictionary(words.enumerated().map { ("k\($0.offset)", $0.element) }, uniquingKeysWith: { a, _ in a })
            let url = folder.url.appendingPathComponent("a.safetensors")
            try Safetensors.write(arrays, metadata: meta, to: url)
            let back = try Safetensors.read(contentsOf: url)
            #expect(back.metadata == meta)
            #expect(back.tensors.count == arrays.count)
            let byName = Dictionary(back.tensors.map { ($0.name, $0.array) }, uniquingKeysWith: { a, _ in a })
            for a in arrays {
                let b = try #require(byName[a.name])
                #expect(b.shape == a.array.shape && b.dtype == a.array.dtype)
                #expect(bitPatterns(b.storage) == bitPatterns(a.array.storage))
            }
        }
    }
}

/// An array of `shape` and `dtype` whose elements are arbitrary bit patterns (any float,
/// including NaNs with payloads, infinities and subnormals).
private func randomArray(shape: [Int], dtype: DType, seed: UInt64) -> NDArray {
    var rng = PhiloxGenerator(seed: seed)
    let n = shape.reduce(1, *)
    let words = (0..<n).map { _ in rng.next() }
    let storage: NDArray.Storage
    switch dtype {
    case .float32: storage = .float32(words.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
    case .float64: storage = .float64(words.map { Double(bitPattern: $0) })
    case .int32: storage = .int32(words.map { Int32(truncatingIfNeeded: $0) })
    case .int64: storage = .int64(words.map { Int64(bitPattern: $0) })
    case .uint8: storage = .uint8(words.map { UInt8(truncatingIfNeeded: $0) })
    }
    return NDArray(shape: shape, storage: storage)
}

/// The elements' bit patterns, so that NaN compares equal to the same NaN.
private func bitPatterns(_ s: NDArray.Storage) -> [UInt64] {
    switch s {
    case .float32(let v): return v.map { UInt64($0.bitPattern) }
    case .float64(let v): return v.map(\.bitPattern)
    case .int32(let v): return v.map { UInt64(UInt32(bitPattern: $0)) }
    case .int64(let v): return v.map { UInt64(bitPattern: $0) }
    case .uint8(let v): return v.map { UInt64($0) }
    }
}

/// A temporary folder removed when the value goes away.
private final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-prop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
