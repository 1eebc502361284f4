/// Improved precision and recall (Kynkäänniemi et al. 2019), fractions in [0, 1].
public struct PrecisionRecall: Sendable, Hashable {
    /// Share of the samples inside the reference manifold estimate: fidelity.
    public let precision: Double
    /// Share of the reference inside the samples' manifold estimate: coverage.
    public let recall: Double
}

extension Metrics {
    /// The default neighbourhood size of `precisionRecall` (Kynkäänniemi et al. 2019 use k = 3).
    public static let manifoldNeighbours = 3

    /// Improved precision and recall with k-NN manifold estimates (Kynkäänniemi et al. 2019, §2):
    /// the manifold of a set is the union of balls around its points, each ball reaching the
    /// point's k-th nearest neighbour within the set (excluding itself);
    /// `precision = (1/n) Σ_i 1[x_i ∈ manifold(Y)]`, `recall = (1/m) Σ_j 1[y_j ∈ manifold(X)]`,
    /// a point lying on a ball's boundary counting as inside.
    ///
    /// k is capped at (set size − 1), so two points per set suffice. Euclidean distances in the
    /// data's own coordinates (the paper uses VGG-16 features; pass features as the rows to get
    /// its metric). Needs n, m ≥ 2.
    public static func precisionRecall<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>, k: Int = manifoldNeighbours
    ) throws(MetricsError) -> PrecisionRecall {
        try validatePair(x, y, minimum: 2)
        guard k >= 1 else { throw .invalidParameter("precision/recall needs k ≥ 1, got \(k)") }
        let radiiX = PairwiseDistanceSweep(within: x).neighbourRadii(rank: Swift.min(k, x.rows - 1))
        let radiiY = PairwiseDistanceSweep(within: y).neighbourRadii(rank: Swift.min(k, y.rows - 1))
        let cover = PairwiseDistanceSweep(x, y).reduceRowBlocks(start: {
            ManifoldCoverage<Scalar>(rows: $0, columns: y.rows)
        }) { $0.add($1, radiiOfRows: radiiX, radiiOfColumns: radiiY) }
        return ManifoldCoverage.result(cover)
    }
}

/// Which rows of one block lie in some column's ball, and which columns lie in some of the
/// block rows' balls (one cross tile answers both, so X against Y is swept once).
///
/// Kept as margins `min (d² − r²)`: a point is covered when its margin is ≤ 0 (for IEEE
/// numbers `a − b ≤ 0` exactly when `a ≤ b`). Running minima vectorise; compare-and-flag code
/// compiles to branches and ran 5× slower.
struct ManifoldCoverage<Scalar: MatrixScalar> {
    let rows: Range<Int>
    /// `min_j (d²_ij − radiiOfColumns[j])` for each row i of the block.
    private(set) var rowMargins: [Scalar]
    /// `min_i (d²_ij − radiiOfRows[i])` over the block's rows, for every column j.
    private(set) var columnMargins: [Scalar]

    init(rows: Range<Int>, columns: Int) {
        self.rows = rows
        rowMargins = [Scalar](repeating: .infinity, count: rows.count)
        columnMargins = [Scalar](repeating: .infinity, count: columns)
    }

    mutating func add(_ tile: DistanceTile<Scalar>, radiiOfRows: [Scalar], radiiOfColumns: [Scalar]) {
        let j0 = tile.columns.lowerBound, width = tile.columns.count
        radiiOfColumns.withUnsafeBufferPointer { ry in
            columnMargins.withUnsafeMutableBufferPointer { margins in
                let (ry, column) = (ry.baseAddress! + j0, margins.baseAddress! + j0)
                for r in 0..<tile.rows.count {
                    let d = tile.row(r).baseAddress!, rx = radiiOfRows[tile.rows.lowerBound + r]
                    var rowMargin = rowMargins[r]
                    for c in 0..<width { rowMargin = Swift.min(rowMargin, d[c] - ry[c]) }
                    for c in 0..<width { column[c] = Swift.min(column[c], d[c] - rx) }
                    rowMargins[r] = rowMargin
                }
            }
        }
    }

    /// Precision and recall from the coverage of every block of a sweep.
    static func result(_ blocks: [ManifoldCoverage]) -> PrecisionRecall {
        let n = blocks.reduce(0) { $0 + $1.rows.count }
        let inside = blocks.reduce(0) { $0 + $1.rowMargins.filter { $0 <= 0 }.count }
        guard var columns = blocks.first?.columnMargins else { return PrecisionRecall(precision: 0, recall: 0) }
        for block in blocks.dropFirst() { for j in columns.indices { columns[j] = Swift.min(columns[j], block.columnMargins[j]) } }
        let covered = columns.filter { $0 <= 0 }.count
        return PrecisionRecall(precision: Double(inside) / Double(n), recall: Double(covered) / Double(columns.count))
    }
}
