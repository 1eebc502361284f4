import Foundation
import ScoreKitMetrics
@_exported import ScoreKitTestSupport

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
