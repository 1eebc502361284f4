import ScoreKitNumerics

/// A tiny deterministic generator (SplitMix64) for test inputs, independent of the library's RNG
/// so that tests of the numerics do not depend on the code under test.
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
}

func randomMatrix<T: MatrixScalar>(_ rows: Int, _ cols: Int, seed: UInt64, scale: Double = 1,
                                   as: T.Type = T.self) -> Matrix<T> {
    var g = SplitMix64(seed)
    return Matrix(rows: rows, columns: cols) { _, _ in T(Double.random(in: -scale...scale, using: &g)) }
}

/// Reference product in Double with a plain triple loop.
func naiveProduct<T: MatrixScalar>(_ a: Matrix<T>, _ b: Matrix<T>) -> [Double] {
    var c = [Double](repeating: 0, count: a.rows * b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns {
        var s = 0.0
        for k in 0..<a.columns { s += Double(a[i, k]) * Double(b[k, j]) }
        c[i * b.columns + j] = s
    } }
    return c
}

func maxAbsDifference<T: MatrixScalar>(_ x: [T], _ y: [Double]) -> Double {
    zip(x, y).reduce(0) { max($0, abs(Double($1.0) - $1.1)) }
}
