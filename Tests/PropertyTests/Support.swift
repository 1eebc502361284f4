import Foundation
import PropertyBased
import ScoreKit
import Testing

/// Shared generators and comparisons for the property tests. Matrix contents come from a seed
/// through `CounterNormalRNG`, so a failing case is reproducible from the printed input alone.
enum Draw {
    /// A rows × columns matrix of N(0, scale²) entries from `seed`.
    static func matrix<S: MatrixScalar>(_ rows: Int, _ columns: Int, seed: UInt64, scale: Double = 1,
                                        as _: S.Type = S.self) -> Matrix<S> {
        let z: Matrix<Double> = CounterNormalRNG(seed: seed).normals(rows: rows, columns: columns, draw: 0)
        return Matrix(rows: rows, columns: columns, scalars: z.scalars.map { S($0 * scale) })
    }

    /// A vector of `count` entries uniform in [−bound, bound] from `seed`.
    static func vector(_ count: Int, seed: UInt64, bound: Double) -> [Double] {
        let u: Matrix<Double> = CounterNormalRNG(seed: seed).uniforms(rows: 1, columns: count, draw: 1)
        return u.scalars.map { (2 * $0 - 1) * bound }
    }

    /// A symmetric positive-definite d × d matrix A Aᵀ/d + floor · I.
    static func covariance(_ d: Int, seed: UInt64, floor: Double = 0.1) -> Matrix<Double> {
        let a: Matrix<Double> = matrix(d, d, seed: seed)
        return Matrix(rows: d, columns: d) { i, j in
            (0..<d).reduce(0) { $0 + a[i, $1] * a[j, $1] } / Double(d) + (i == j ? floor : 0)
        }
    }

    /// Batch split points: `count` rows cut into consecutive chunks whose sizes come from `sizes`
    /// (cycled; each at least 1), the way a run is sharded across batches.
    static func chunks(_ count: Int, sizes: [Int]) -> [Range<Int>] {
        var ranges = [Range<Int>]()
        var start = 0, k = 0
        while start < count {
            let size = max(1, sizes.isEmpty ? count : sizes[k % sizes.count])
            ranges.append(start..<min(count, start + size))
            start += size
            k += 1
        }
        return ranges
    }
}

/// Generators used by several suites.
enum Gens {
    static let seed = Gen.uint64(in: 0...UInt64(UInt32.max))
    /// Noise levels spread evenly in log σ over [10⁻¹, 10¹].
    static let sigma = Gen.double(in: -1...1).map { Double.pow(10, $0) }
}

/// Largest absolute entrywise difference of two equally shaped matrices (∞ if shapes differ).
func maxDifference<S: MatrixScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> Double {
    guard a.rows == b.rows && a.columns == b.columns else { return .infinity }
    return zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, Double(Swift.abs($1.0 - $1.1))) }
}
