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
struct ManifoldCoverage<Scalar: MatrixScalar> {
    let rows: Range<Int>
    /// 1 where row i lies within `radiiOfColumns[j]` of some column j, else 0.
    private(set) var rowCovered: [Scalar]
    /// 1 where column j lies within `radiiOfRows[i]` of some row i of this block, else 0.
    private(set) var columnCovered: [Scalar]

    init(rows: Range<Int>, columns: Int) {
        self.rows = rows
        rowCovered = [Scalar](repeating: 0, count: rows.count)
        columnCovered = [Scalar](repeating: 0, count: columns)
    }

    /// Flags set with `SIMD8.replacing(with:where:)`: a scalar `d ≤ r ? 1 : 0` compiles to
    /// branches and does not vectorise.
    mutating func add(_ tile: DistanceTile<Scalar>, radiiOfRows: [Scalar], radiiOfColumns: [Scalar]) {
        let j0 = tile.columns.lowerBound, width = tile.columns.count
        radiiOfColumns.withUnsafeBufferPointer { ry in
            columnCovered.withUnsafeMutableBufferPointer { cc in
                let (ryRaw, ccRaw) = (UnsafeRawPointer(ry.baseAddress! + j0), UnsafeMutableRawPointer(cc.baseAddress! + j0))
                let stride = MemoryLayout<Scalar>.stride
                for r in 0..<tile.rows.count {
                    let row = tile.row(r), rowRaw = UnsafeRawPointer(row.baseAddress!)
                    let rx = radiiOfRows[tile.rows.lowerBound + r], rxv = SIMD8<Scalar>(repeating: rx)
                    var hits = SIMD8<Scalar>()
                    var c = 0
                    while c + 8 <= width {
                        let d = rowRaw.loadUnaligned(fromByteOffset: c * stride, as: SIMD8<Scalar>.self)
                        hits.replace(with: 1, where: d .<= ryRaw.loadUnaligned(fromByteOffset: c * stride, as: SIMD8<Scalar>.self))
                        let covered = ccRaw.loadUnaligned(fromByteOffset: c * stride, as: SIMD8<Scalar>.self)
                        ccRaw.storeBytes(of: covered.replacing(with: 1, where: d .<= rxv), toByteOffset: c * stride,
                                         as: SIMD8<Scalar>.self)
                        c += 8
                    }
                    var hit = hits.max() > 0
                    while c < width {
                        if row[c] <= ry[j0 + c] { hit = true }
                        if row[c] <= rx { cc[j0 + c] = 1 }
                        c += 1
                    }
                    if hit { rowCovered[r] = 1 }
                }
            }
        }
    }

    /// Precision and recall from the coverage of every block of a sweep.
    static func result(_ blocks: [ManifoldCoverage]) -> PrecisionRecall {
        let n = blocks.reduce(0) { $0 + $1.rows.count }
        let inside = blocks.reduce(0) { $0 + $1.rowCovered.filter { $0 > 0 }.count }
        guard var columns = blocks.first?.columnCovered else { return PrecisionRecall(precision: 0, recall: 0) }
        for block in blocks.dropFirst() { for j in columns.indices { columns[j] = Swift.max(columns[j], block.columnCovered[j]) } }
        let covered = columns.filter { $0 > 0 }.count
        return PrecisionRecall(precision: Double(inside) / Double(n), recall: Double(covered) / Double(columns.count))
    }
}
