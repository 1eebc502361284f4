/// The `k` smallest squared distances (and their column indices) of every row of one block,
/// accumulated over the tiles of a `PairwiseDistanceSweep`.
///
/// Within one set the diagonal (each point's distance to itself, 0) is one of the k: the j-th
/// neighbour of a point is entry j of its list.
struct NearestNeighbours<Scalar: MatrixScalar> {
    let k: Int
    let rows: Range<Int>
    /// `rows.count × k`, ascending in each row; +∞ where fewer than k columns were seen.
    private(set) var squaredDistances: [Scalar]
    private(set) var indices: [Int]

    init(k: Int, rows: Range<Int>) {
        self.k = k
        self.rows = rows
        squaredDistances = [Scalar](repeating: .infinity, count: rows.count * k)
        indices = [Int](repeating: -1, count: rows.count * k)
    }

    /// Merges the entries of one tile into every row's list (insertion into a sorted list of
    /// k; most entries fail the first comparison against the current k-th smallest).
    mutating func add(_ tile: DistanceTile<Scalar>) {
        let k = self.k
        squaredDistances.withUnsafeMutableBufferPointer { best in
            indices.withUnsafeMutableBufferPointer { index in
                for r in 0..<tile.rows.count {
                    let row = tile.row(r), base = r * k
                    var worst = best[base + k - 1]
                    // `<=` so that even +∞ (an overflowed Float distance) fills an empty slot.
                    for c in 0..<row.count where row[c] <= worst {
                        var slot = base + k - 1
                        while slot > base && best[slot - 1] > row[c] {
                            best[slot] = best[slot - 1]
                            index[slot] = index[slot - 1]
                            slot -= 1
                        }
                        best[slot] = row[c]
                        index[slot] = tile.columns.lowerBound + c
                        worst = best[base + k - 1]
                    }
                }
            }
        }
    }

    /// Entry `j` (0-based) of row `r` of the block.
    func squaredDistance(row r: Int, rank j: Int) -> Scalar { squaredDistances[r * k + j] }
    func index(row r: Int, rank j: Int) -> Int { indices[r * k + j] }
}

extension PairwiseDistanceSweep {
    /// Squared distance of every row to its `rank`-th nearest other point of the same set
    /// (the sweep must be `within:` one set; rank ≥ 1; self, at distance 0, is rank 0).
    func neighbourRadii(rank: Int) -> [Scalar] {
        NearestNeighbours.column(rank, of: reduceRowBlocks(start: { NearestNeighbours<Scalar>(k: rank + 1, rows: $0) }) {
            $0.add($1)
        })
    }
}

extension NearestNeighbours {
    /// Entry `rank` of every row, over the blocks of one sweep in row order.
    static func column(_ rank: Int, of blocks: [NearestNeighbours]) -> [Scalar] {
        blocks.flatMap { block in (0..<block.rows.count).map { block.squaredDistance(row: $0, rank: rank) } }
    }
}
