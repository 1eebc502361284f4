/// The `k` smallest squared distances (and their indices) of every point in `points`,
/// accumulated over the tiles of a `PairwiseDistanceSweep`: from tile rows (`add`) or, for the
/// mirrored half of a triangular sweep, from tile columns (`addTransposed`).
///
/// Within one set the diagonal (each point's distance to itself, 0) is one of the k: the j-th
/// neighbour of a point is entry j of its list.
struct NearestNeighbours<Scalar: MatrixScalar> {
    let k: Int
    let points: Range<Int>
    /// `points.count × k`, ascending in each list; +∞ where fewer than k candidates were seen.
    private(set) var squaredDistances: [Scalar]
    private(set) var indices: [Int]

    init(k: Int, points: Range<Int>) {
        self.k = k
        self.points = points
        squaredDistances = [Scalar](repeating: .infinity, count: points.count * k)
        indices = [Int](repeating: -1, count: points.count * k)
    }

    /// Entry (r, c) of the tile is a candidate for point `tile.rows.lowerBound + r`, at index
    /// `tile.columns.lowerBound + c`. Most entries fail the first comparison against the
    /// current k-th smallest, so the loop rarely inserts.
    mutating func add(_ tile: DistanceTile<Scalar>) {
        let (k, offset) = (self.k, tile.rows.lowerBound - points.lowerBound)
        squaredDistances.withUnsafeMutableBufferPointer { best in
            indices.withUnsafeMutableBufferPointer { index in
                for r in 0..<tile.rows.count {
                    let row = tile.row(r), base = (offset + r) * k
                    var worst = best[base + k - 1]
                    // `<=` so that even +∞ (an overflowed Float distance) fills an empty slot.
                    for c in 0..<row.count where row[c] <= worst {
                        Self.insert(row[c], index: tile.columns.lowerBound + c, base: base, k: k, best, index)
                        worst = best[base + k - 1]
                    }
                }
            }
        }
    }

    /// Entry (r, c) of the tile is a candidate for point `tile.columns.lowerBound + c`, at index
    /// `tile.rows.lowerBound + r`: the mirror image of a tile above the diagonal. Walks down
    /// the columns so the current k-th smallest stays in a register; the 256 rows' cache lines
    /// fit in L1, so the strided reads cost little.
    mutating func addTransposed(_ tile: DistanceTile<Scalar>) {
        let (k, offset, width) = (self.k, tile.columns.lowerBound - points.lowerBound, tile.columns.count)
        let d = tile.squaredDistances.baseAddress!
        squaredDistances.withUnsafeMutableBufferPointer { best in
            indices.withUnsafeMutableBufferPointer { index in
                for c in 0..<width {
                    let base = (offset + c) * k
                    var worst = best[base + k - 1]
                    for r in 0..<tile.rows.count where d[r * width + c] <= worst {
                        Self.insert(d[r * width + c], index: tile.rows.lowerBound + r, base: base, k: k, best, index)
                        worst = best[base + k - 1]
                    }
                }
            }
        }
    }

    /// Merges every list of `other` (whose points lie in `points`) into these lists.
    mutating func merge(_ other: NearestNeighbours) {
        let (k, offset) = (self.k, other.points.lowerBound - points.lowerBound)
        squaredDistances.withUnsafeMutableBufferPointer { best in
            indices.withUnsafeMutableBufferPointer { index in
                for p in 0..<other.points.count {
                    let base = (offset + p) * k
                    for j in 0..<other.k where other.squaredDistances[p * other.k + j] <= best[base + k - 1] {
                        Self.insert(other.squaredDistances[p * other.k + j], index: other.indices[p * other.k + j],
                                    base: base, k: k, best, index)
                    }
                }
            }
        }
    }

    /// Inserts into the sorted list at `base` (the caller checked `value` ≤ its last entry).
    @inline(__always)
    private static func insert(
        _ value: Scalar, index i: Int, base: Int, k: Int,
        _ best: UnsafeMutableBufferPointer<Scalar>, _ index: UnsafeMutableBufferPointer<Int>
    ) {
        var slot = base + k - 1
        while slot > base && best[slot - 1] > value {
            best[slot] = best[slot - 1]
            index[slot] = index[slot - 1]
            slot -= 1
        }
        best[slot] = value
        index[slot] = i
    }

    /// Entry `rank` of the list of point `p` (an absolute index in `points`).
    func squaredDistance(point p: Int, rank: Int) -> Scalar { squaredDistances[(p - points.lowerBound) * k + rank] }
    func index(point p: Int, rank: Int) -> Int { indices[(p - points.lowerBound) * k + rank] }
}

extension PairwiseDistanceSweep {
    /// Squared distance of every point to its `rank`-th nearest other point of the same set
    /// (the sweep must be `within:` one set; rank ≥ 1; self, at distance 0, is rank 0).
    func neighbourRadii(rank: Int, triangularLimit: Int = triangularNeighbourLimit) -> [Scalar] {
        neighbourRadii(rank: rank, triangularLimit: triangularLimit, companion: { _ in () }, add: { _, _ in }).radii
    }

    /// `neighbourRadii(rank:)` over a triangular sweep (half the distances), feeding every tile
    /// also to one `companion` accumulator per row block (e.g. the pair sums of MMD).
    ///
    /// A block's row lists see its own and all later columns; the columns of its tiles above
    /// the diagonal collect candidates for the later points (`addTransposed`), which are merged
    /// into those points' lists at the end. Those mirrored lists take about n²k/512 entries, so
    /// above `triangularLimit` points the sweep visits every tile instead.
    func neighbourRadii<Companion>(
        rank: Int, triangularLimit: Int = triangularNeighbourLimit,
        companion start: (Range<Int>) -> Companion, add: (inout Companion, DistanceTile<Scalar>) -> Void
    ) -> (radii: [Scalar], companions: [Companion]) {
        let k = rank + 1, n = rowCount
        let triangular = n <= triangularLimit
        let blocks = reduceRowBlocks(triangular: triangular, start: { rows in
            (companion: start(rows), own: NearestNeighbours<Scalar>(k: k, points: rows),
             later: NearestNeighbours<Scalar>(k: k, points: triangular ? rows.upperBound..<n : n..<n))
        }) { acc, tile in
            add(&acc.companion, tile)
            acc.own.add(tile)
            if triangular && tile.rows != tile.columns { acc.later.addTransposed(tile) }
        }
        var all = NearestNeighbours<Scalar>(k: k, points: 0..<n)
        for block in blocks {
            all.merge(block.own)
            all.merge(block.later)
        }
        return ((0..<n).map { all.squaredDistance(point: $0, rank: rank) }, blocks.map(\.companion))
    }

    /// Up to this many points, `neighbourRadii` sweeps a triangle (mirrored lists ≤ ~25 MB).
    static var triangularNeighbourLimit: Int { 16_384 }
}
