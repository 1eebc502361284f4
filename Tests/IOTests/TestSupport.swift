import Foundation
import Testing
@testable import ScoreKitIO

/// Fixture files made by scripts/fixtures/make_io_fixtures.py (numpy, safetensors, gzip).
enum Fixture {
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"), "missing fixture \(name)")
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    /// numpy's view of each fixture array: shape, dtype and C-order values.
    static func expected(_ key: String) throws -> Expected {
        let all = try JSONDecoder().decode([String: Expected].self, from: data("expected.json"))
        return try #require(all[key], "no expected values for \(key)")
    }

    struct Expected: Decodable {
        let shape: [Int]?
        let dtype: String?
        let values: [Double]?
        let min: Double?
        let max: Double?
        let mean: Double?
        let nan_count: Int?
        let crc32: UInt32?
        let size: Int?
    }
}

/// Checks an array against numpy's shape, dtype (as `<f8`, `|u1`, …) and values.
func expectMatches(_ array: NDArray, _ expected: Fixture.Expected, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(array.shape == expected.shape, sourceLocation: sourceLocation)
    #expect(array.dtype.npyDescr == expected.dtype, sourceLocation: sourceLocation)
    #expect(array.scalars(as: Double.self) == expected.values, sourceLocation: sourceLocation)
}

/// The error `body` throws, or nil if it succeeds.
func ioError<T>(_ body: () throws(IOError) -> T) -> IOError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

extension IOError {
    /// The case name (`truncated`, `badMagic`, …), for tests that check which error a file gets.
    var kind: String { Mirror(reflecting: self).children.first?.label ?? "\(self)" }
}

/// Expects `body` to fail with an `IOError` of the given case whose message is one line naming `path`.
func expectError<T>(_ kind: String, path: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () throws(IOError) -> T) {
    guard let error = ioError(body) else {
        Issue.record("expected IOError.\(kind), but it succeeded", sourceLocation: sourceLocation)
        return
    }
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
    if let path { #expect(error.description.hasPrefix(path), "\(error)", sourceLocation: sourceLocation) }
}

/// A fresh folder removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func write(_ data: Data, _ name: String) throws -> URL {
        let u = file(name)
        try data.write(to: u)
        return u
    }

    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
}

/// CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320) bit by bit: an independent reference for
/// the table-driven zlib CRC the code uses.
func referenceCRC32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// Deterministic pseudo-random numbers for corruption tests (64-bit LCG, Knuth's MMIX constants).
struct LCG {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}

extension Data {
    func le<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        var v: T = 0
        for i in (0..<MemoryLayout<T>.size).reversed() { v = v << 8 | T(self[startIndex + offset + i]) }
        return v
    }

    mutating func setLE<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for i in 0..<MemoryLayout<T>.size { self[startIndex + offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    /// Offsets of every occurrence of `pattern`.
    func offsets(of pattern: [UInt8]) -> [Int] {
        let bytes = [UInt8](self)
        guard bytes.count >= pattern.count else { return [] }
        return (0...(bytes.count - pattern.count)).filter { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
    }
}
