/// A square tile of squared Euclidean distances `‖a_i − b_j‖²`, i ∈ `rows`, j ∈ `columns`.
struct DistanceTile<Scalar: MatrixScalar> {
    let rows: Range<Int>
    let columns: Range<Int>
    /// Row-major, `rows.count × columns.count`.
    let squaredDistances: UnsafeBufferPointer<Scalar>
    /// How often each entry counts in a sum over all ordered pairs (i, j): 2 for a tile above the
    /// diagonal of a triangular sweep, whose mirror image is skipped; 1 otherwise.
    let multiplicity: Double

    /// Local row `r` (global row `rows.lowerBound + r`).
    @inline(__always) func row(_ r: Int) -> UnsafeBufferPointer<Scalar> {
        UnsafeBufferPointer(rebasing: squaredDistances[(r * columns.count)..<((r + 1) * columns.count)])
    }
}

/// Squared distances between the rows of two point sets, streamed in square tiles so that the
/// full n × m matrix never exists (10k × 10k Float would be 400 MB).
///
/// Each tile is `‖a‖² − 2 a·bᵀ + ‖b‖²` with the cross term through BLAS GEMM and the rest in the
/// SIMD kernel (`Matrix.squaredDistances`). Both sets are first shifted by their pooled mean:
/// distances do not change, but the norms shrink to the spread of the data, which keeps the
/// cancellation error of that formula small in Float. Within one set (`within:`), the diagonal
/// is set to exactly 0.
///
/// Row blocks are independent and run on all cores (`Parallelism`) when the sweep is large
/// enough to pay for the hand-off.
struct PairwiseDistanceSweep<Scalar: MatrixScalar> {
    /// Rows (and columns) per tile: 256 × 256 fits in L2 in either precision.
    static var block: Int { 256 }
    /// Below this many distances the sweep runs on the calling thread.
    static var parallelThreshold: Int { 1 << 20 }

    private let a: Matrix<Scalar>
    private let aNorms: [Scalar]
    /// `b` cut into row blocks, with their squared norms.
    private let bBlocks: [(points: Matrix<Scalar>, norms: [Scalar])]
    private let sameSet: Bool
    let rowCount: Int
    let columnCount: Int

    /// Distances from every row of `a` to every row of `b` (same number of columns).
    init(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>) {
        let shift = Matrix.vstack([a, b]).columnMeans().map { -$0 }
        self.init(a.addingToRows(shift), b.addingToRows(shift), sameSet: false)
    }

    /// Distances between the rows of `a`.
    init(within a: Matrix<Scalar>) {
        let centred = a.addingToRows(a.columnMeans().map { -$0 })
        self.init(centred, centred, sameSet: true)
    }

    private init(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>, sameSet: Bool) {
        precondition(a.columns == b.columns, "distances between \(a.columns)-d and \(b.columns)-d points")
        self.a = a
        self.aNorms = a.rowSquaredNorms()
        self.sameSet = sameSet
        self.rowCount = a.rows
        self.columnCount = b.rows
        let n = Self.block
        self.bBlocks = stride(from: 0, to: b.rows, by: n).map { start in
            let part = b.rows(start..<Swift.min(start + n, b.rows))
            return (part, part.rowSquaredNorms())
        }
    }

    /// Runs `add` on every tile, one accumulator per block of rows made by `start` (given the
    /// block's rows), and returns the accumulators in row order.
    ///
    /// `triangular` (only for a sweep `within:` one set) visits the tiles on and above the
    /// diagonal only, with `multiplicity` 2 above it: half the work for symmetric sums.
    /// `add` sees the tiles of one block in column order, on one thread.
    func reduceRowBlocks<Accumulator>(
        triangular: Bool = false,
        start: (Range<Int>) -> Accumulator,
        add: (inout Accumulator, DistanceTile<Scalar>) -> Void
    ) -> [Accumulator] {
        precondition(!triangular || sameSet, "a triangular sweep needs one point set")
        let n = Self.block
        let blockCount = (rowCount + n - 1) / n
        let sweepBlock = { (i: Int) -> Accumulator in
            let rows = (i * n)..<Swift.min((i + 1) * n, rowCount)
            let aBlock = a.rows(rows)
            var accumulator = start(rows)
            var gram = Matrix<Scalar>(rows: 0, columns: 0)
            for j in (triangular ? i : 0)..<bBlocks.count {
                let (bBlock, bNorms) = bBlocks[j]
                if gram.rows != rows.count || gram.columns != bBlock.rows {
                    gram = Matrix(rows: rows.count, columns: bBlock.rows)
                }
                Matrix.gemm(aBlock, bBlock, transposeB: true, into: &gram)
                let columns = (j * n)..<(j * n + bBlock.rows)
                gram.scalars.withUnsafeMutableBufferPointer { g in
                    aNorms.withUnsafeBufferPointer { an in
                        bNorms.withUnsafeBufferPointer { bn in
                            Scalar.kernelSquaredDistancesFromGram(
                                g.baseAddress!, an.baseAddress! + rows.lowerBound, bn.baseAddress!,
                                rows: rows.count, cols: columns.count)
                        }
                    }
                    if sameSet && i == j { for r in 0..<rows.count { g[r * columns.count + r] = 0 } }
                    let tile = DistanceTile(rows: rows, columns: columns, squaredDistances: UnsafeBufferPointer(g),
                                            multiplicity: triangular && j > i ? 2 : 1)
                    add(&accumulator, tile)
                }
            }
            return accumulator
        }
        let pairs = triangular ? rowCount * (rowCount + 1) / 2 : rowCount * columnCount
        return Parallelism.concurrentMap(blockCount, parallel: pairs >= Self.parallelThreshold, sweepBlock)
    }
}
