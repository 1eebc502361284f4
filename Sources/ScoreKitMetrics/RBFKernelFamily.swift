/// The three Gaussian (RBF) kernels MMD averages over:
/// `k_s(x, y) = exp(−‖x − y‖² / (2 (s h)²))` for `s ∈ {½, 1, 2}` and one bandwidth `h`.
///
/// Averaging over a small range of bandwidths around the median heuristic makes MMD less
/// sensitive to that one choice (Gretton et al. 2012, §8; the multi-bandwidth kernels of
/// Li et al. 2015).
public struct RBFKernelFamily: Sendable, Hashable {
    /// Multipliers of `bandwidth`, in the order of every per-scale result.
    public static let scales: [Double] = [0.5, 1, 2]
    /// The pooled sample holds at most this many points for the median heuristic; above it an
    /// evenly strided subsample is used (see `medianHeuristic`).
    public static let medianSubsampleSize = 2000

    public let bandwidth: Double

    /// Throws unless `bandwidth` is finite and positive.
    public init(bandwidth: Double) throws(MetricsError) {
        guard bandwidth.isFinite && bandwidth > 0 else {
            throw .invalidParameter("RBF bandwidth must be finite and positive, got \(bandwidth)")
        }
        self.bandwidth = bandwidth
    }

    /// The median heuristic: `h` = the median of the Euclidean distances `‖z_i − z_j‖`, i < j,
    /// over the pooled sample `Z = (x_1, …, x_n, y_1, …, y_m)` (all its pairs, within and
    /// across the two sets).
    ///
    /// When `N = n + m` exceeds `medianSubsampleSize` (S = 2000), only the S points
    /// `z_{⌊iN/S⌋}`, i = 0 … S − 1, enter (an evenly strided, deterministic subsample that keeps
    /// the two sets in proportion; S(S − 1)/2 ≈ 2·10⁶ pairs). For an even number of pairs the
    /// median is the mean of the two middle distances (numpy's convention). If more than half
    /// the pairs coincide (median 0), `h` is the mean pairwise distance instead, and if every
    /// point coincides, `h = 1` (any bandwidth then gives the same kernel values).
    public static func medianHeuristic<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>
    ) throws(MetricsError) -> RBFKernelFamily {
        try medianHeuristic(x, y, subsampleSize: medianSubsampleSize)
    }

    /// `medianHeuristic` with another subsample size S (tests use a small one).
    static func medianHeuristic<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>, subsampleSize s: Int
    ) throws(MetricsError) -> RBFKernelFamily {
        try Validate.points(x, "samples", minimum: 1)
        try Validate.points(y, "reference", minimum: 1)
        try Validate.sameDimension(y, "reference", as: x)
        let total = x.rows + y.rows
        let pooled: Matrix<Scalar>
        if total <= s {
            pooled = Matrix.vstack([x, y])
        } else {
            var points = [Scalar]()
            points.reserveCapacity(s * x.columns)
            for k in (0..<s).map({ $0 * total / s }) { points.append(contentsOf: k < x.rows ? x.row(k) : y.row(k - x.rows)) }
            pooled = Matrix(rows: s, columns: x.columns, scalars: points)
        }
        var squared = upperTriangle(PairwiseDistanceSweep(within: pooled))
        let count = squared.count
        guard count > 0 else { return try RBFKernelFamily(bandwidth: 1) }  // a single point
        let upper = Double(selectSmallest(&squared, rank: count / 2)).squareRoot()
        var median = upper
        if count % 2 == 0 {
            // After selection, every entry below rank count/2 is ≤ it: the lower middle is their max.
            let lower = squared[0..<(count / 2)].max() ?? squared[count / 2]
            median = (Double(lower).squareRoot() + upper) / 2
        }
        if median > 0 { return try RBFKernelFamily(bandwidth: median) }
        let mean = squared.reduce(0.0) { $0 + Double($1).squareRoot() } / Double(count)
        return try RBFKernelFamily(bandwidth: mean > 0 ? mean : 1)
    }

    /// The squared distances `‖z_i − z_j‖²`, i < j, in no particular order.
    private static func upperTriangle<Scalar>(_ sweep: PairwiseDistanceSweep<Scalar>) -> [Scalar] {
        sweep.reduceRowBlocks(triangular: true, start: { _ in [Scalar]() }) { values, tile in
            let diagonal = tile.rows == tile.columns
            for r in 0..<tile.rows.count {
                let row = tile.row(r)
                values.append(contentsOf: diagonal ? row[(r + 1)...] : row[...])
            }
        }.flatMap { $0 }
    }
}

/// Rearranges `values` so that `values[rank]` is the value of that rank in sorted order, with
/// nothing larger before it and nothing smaller after it (Hoare's selection, median-of-three
/// pivot: linear time on average). Needs `0 ≤ rank < count` and no NaN.
func selectSmallest<Scalar: Comparable>(_ values: inout [Scalar], rank: Int) -> Scalar {
    values.withUnsafeMutableBufferPointer { a in
        var (lo, hi) = (0, a.count - 1)
        while lo < hi {
            let (p, q, r) = (a[lo], a[lo + (hi - lo) / 2], a[hi])
            let pivot = max(min(p, q), min(max(p, q), r))
            var (i, j) = (lo, hi)
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            // Now a[lo...j] ≤ pivot ≤ a[i...hi], and everything strictly between equals the pivot.
            if rank <= j { hi = j } else if rank >= i { lo = i } else { return a[rank] }
        }
        return a[rank]
    }
}
