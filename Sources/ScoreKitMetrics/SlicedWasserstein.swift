extension Metrics {
    /// Sliced 2-Wasserstein distance (Bonneel et al. 2015):
    /// `SW₂ = ( (1/L) Σ_l W₂²(θ_lᵀX, θ_lᵀY) )^{1/2}` over L = `directions` random unit vectors.
    ///
    /// Direction l is row l of `CounterNormalRNG(seed:)`'s standard normals (draw 0, sample l)
    /// scaled to unit length: uniform on the sphere, reproducible from the seed and the same in
    /// Float and Double up to rounding. Each 1-D W₂² is exact for the two empirical measures:
    /// the integral `∫₀¹ (F⁻¹(t) − G⁻¹(t))² dt` of the difference of their quantile functions
    /// (steps at i/n and j/m), which for n = m is the sorted-sample formula
    /// `(1/n) Σ_i (x_(i) − y_(i))²`; unequal sizes need no resampling. Needs n, m ≥ 1.
    public static func slicedWasserstein2<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>, directions: Int = 128, seed: UInt64 = 0
    ) throws(MetricsError) -> Double {
        try validatePair(x, y, minimum: 1)
        guard directions >= 1 else { throw .invalidParameter("sliced W2 needs at least one direction, got \(directions)") }
        let theta = unitDirections(directions, dimension: x.columns, seed: seed, as: Scalar.self)
        // Row l of θ·Xᵀ holds the projections on direction l, contiguous for sorting.
        var px = Matrix.product(theta, x, transposeB: true), py = Matrix.product(theta, y, transposeB: true)
        let (n, m) = (x.rows, y.rows)
        let chunk = 8
        let chunks = (directions + chunk - 1) / chunk
        let squared = px.scalars.withUnsafeMutableBufferPointer { pxb in
            py.scalars.withUnsafeMutableBufferPointer { pyb in
                let (pxs, pys) = (SharedRows(pxb), SharedRows(pyb))
                return Parallelism.concurrentMap(chunks, parallel: directions * (n + m) >= 1 << 16) { c in
                    (c * chunk..<Swift.min((c + 1) * chunk, directions)).reduce(0.0) { total, l in
                        let a = pxs.sortedRow(l, width: n), b = pys.sortedRow(l, width: m)
                        return total + wasserstein2Squared(sorted: a, sorted: b)
                    }
                }
            }
        }
        return (squared.reduce(0, +) / Double(directions)).squareRoot()
    }

    /// `count` unit vectors in `dimension` dimensions: the rows of standard normals from
    /// `CounterNormalRNG(seed:)` (draw 0), each divided by its norm.
    static func unitDirections<Scalar: MatrixScalar>(
        _ count: Int, dimension: Int, seed: UInt64, as _: Scalar.Type
    ) -> Matrix<Scalar> {
        let z = CounterNormalRNG(seed: seed).normals(rows: count, columns: dimension, draw: 0, as: Scalar.self)
        return z.scalingRows(by: z.rowSquaredNorms().map { 1 / $0.squareRoot() })
    }

    /// W₂² between the empirical measures of two sorted samples: the exact integral of
    /// `(F⁻¹(t) − G⁻¹(t))²` over the merged quantile steps. Step boundaries are compared as
    /// integers (`i·m` against `j·n`), so no rounding decides which sample steps first.
    static func wasserstein2Squared<Scalar: MatrixScalar>(
        sorted a: UnsafeBufferPointer<Scalar>, sorted b: UnsafeBufferPointer<Scalar>
    ) -> Double {
        let (n, m) = (a.count, b.count)
        // Quantile levels in units of 1/(nm): a steps at (i+1)·m, b at (j+1)·n.
        var (i, j, level, total) = (0, 0, 0, 0.0)
        while i < n && j < m {
            let next = Swift.min((i + 1) * m, (j + 1) * n)
            let difference = Double(a[i]) - Double(b[j])
            total += Double(next - level) * difference * difference
            level = next
            if next == (i + 1) * m { i += 1 }
            if next == (j + 1) * n { j += 1 }
        }
        return total / (Double(n) * Double(m))
    }
}

/// Rows of one projection matrix shared by the sorting workers; each worker sorts only the
/// rows of its own directions, so the writes never overlap and the unchecked sendability is sound.
private struct SharedRows<Scalar: MatrixScalar>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Scalar>
    init(_ base: UnsafeMutableBufferPointer<Scalar>) { self.base = base }

    /// Sorts row `l` (of `width` entries) in place and returns it.
    func sortedRow(_ l: Int, width: Int) -> UnsafeBufferPointer<Scalar> {
        let row = UnsafeMutableBufferPointer(rebasing: base[(l * width)..<((l + 1) * width)])
        radixSort(row)
        return UnsafeBufferPointer(row)
    }
}
