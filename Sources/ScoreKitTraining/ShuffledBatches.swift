/// Minibatches over N rows, reshuffled every epoch: the batch of step t takes positions
/// t·B ..< (t + 1)·B of the endless sequence π₀, π₁, … where π_e is epoch e's permutation, a
/// Fisher–Yates shuffle drawn from `PhiloxGenerator(seed:, stream: e)`.
///
/// Every batch is a function of (seed, N, B, t) alone, so a run resumed at step t sees exactly the
/// batches of an uninterrupted run; the loader keeps only the current epoch's permutation.
public struct ShuffledBatches: Sendable {
    public let rowCount: Int
    public let batchSize: Int
    public let seed: UInt64
    private var epoch = -1
    private var permutation: [Int] = []

    public init(rowCount: Int, batchSize: Int, seed: UInt64) throws(TrainingError) {
        guard rowCount > 0, batchSize > 0 else {
            throw .invalidConfiguration("batches of \(batchSize) over \(rowCount) rows")
        }
        (self.rowCount, self.batchSize, self.seed) = (rowCount, batchSize, seed)
    }

    /// Epoch e's permutation of 0..<n: for i = n−1 down to 1, swap i with j uniform in 0...i.
    public static func permutation(count n: Int, seed: UInt64, epoch: Int) -> [Int] {
        var generator = PhiloxGenerator(seed: seed, stream: UInt64(epoch))
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, Int(generator.next(upperBound: UInt64(i + 1))))
        }
        return p
    }

    /// (epoch, offset within it) of the first row of step t's batch.
    public func position(ofStep step: Int) -> (epoch: Int, offset: Int) {
        let start = step * batchSize
        return (start / rowCount, start % rowCount)
    }

    /// The row indices of step t's batch.
    public mutating func indices(forStep step: Int) -> [Int] {
        var (e, offset) = position(ofStep: step)
        var out = [Int]()
        out.reserveCapacity(batchSize)
        while out.count < batchSize {
            if e != epoch {
                permutation = Self.permutation(count: rowCount, seed: seed, epoch: e)
                epoch = e
            }
            let take = Swift.min(batchSize - out.count, rowCount - offset)
            out += permutation[offset..<(offset + take)]
            (e, offset) = (e + 1, 0)
        }
        return out
    }
}
