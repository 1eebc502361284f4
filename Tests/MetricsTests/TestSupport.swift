import Foundation
import ScoreKitMetrics

/// A tiny deterministic generator (SplitMix64) for test inputs, independent of the library's RNG
/// so that the tests do not depend on the code under test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal by Box–Muller with Foundation's log/cos.
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

/// `rows` points of N(shift·1, scale² I) in `columns` dimensions.
func gaussianSample<T: MatrixScalar>(_ rows: Int, _ columns: Int, seed: UInt64, shift: Double = 0,
                                     scale: Double = 1, as: T.Type = T.self) -> Matrix<T> {
    var g = SplitMix64(seed)
    return Matrix(rows: rows, columns: columns) { _, _ in T(shift + scale * g.normal()) }
}

/// Rows as [[Double]] for the brute-force references.
func points<T: MatrixScalar>(_ m: Matrix<T>) -> [[Double]] {
    (0..<m.rows).map { i in m.row(i).map { Double($0) } }
}

/// ‖p − q‖ by a plain loop.
func euclidean(_ p: [Double], _ q: [Double]) -> Double {
    var s = 0.0
    for k in p.indices { s += (p[k] - q[k]) * (p[k] - q[k]) }
    return s.squareRoot()
}

func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }
