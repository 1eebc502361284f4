import Foundation
import Testing

/// Loading the committed fixtures (made by scripts/fixtures/make_diffusion_fixtures.py).
enum Fixture {
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    /// Doubles written with Python's `float.hex()` (exact).
    static func doubles(_ hex: [String]) throws -> [Double] {
        try hex.map { try #require(Double($0), "not a hexadecimal float: \($0)") }
    }
}

/// A list of values stored twice: readable decimals and exact hexadecimal.
struct EncodedValues: Decodable {
    let values: [Double]
    let hex: [String]
    func exact() throws -> [Double] { try Fixture.doubles(hex) }
}

/// Distance in units in the last place between two finite doubles of the same sign.
func ulps(_ a: Double, _ b: Double) -> UInt64 {
    let x = a.bitPattern, y = b.bitPattern
    return x > y ? x - y : y - x
}
