import Foundation
import ScoreKitNumerics

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator for test inputs, independent of
/// the library's Philox RNG so that tests do not depend on the code under test. Tests only.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(_ seed: UInt64) { state = seed }
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal by Box–Muller with Foundation's log and cos.
    public mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

/// A rows × cols matrix of uniforms on [−scale, scale] from SplitMix64(seed).
public func randomMatrix<T: MatrixScalar>(_ rows: Int, _ cols: Int, seed: UInt64, scale: Double = 1,
                                          as: T.Type = T.self) -> Matrix<T> {
    var g = SplitMix64(seed)
    return Matrix(rows: rows, columns: cols) { _, _ in T(Double.random(in: -scale...scale, using: &g)) }
}
