import ArgumentParser
import ScoreKit

/// `--shard k/n`: part k (0-based) of n nearly equal, contiguous parts of the rows, so a large job
/// can be spread over machines and the concatenated shards equal the unsharded run bit for bit.
/// The parts are made of whole `RowBlocks` (128 rows), because a network denoiser's rounding of a
/// row depends on its position within its block.
struct Shard: ExpressibleByArgument, Equatable {
    let index: Int
    let count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(k) else { return nil }
        self.init(index: k, count: n)
    }

    static let whole = Shard(index: 0, count: 1)

    /// The rows of `total` this shard owns: with m = ⌈B/128⌉ blocks, blocks ⌊k·m/n⌋ ..< ⌊(k+1)·m/n⌋
    /// (clipped to B; empty when n > m).
    func rows(of total: Int) -> Range<Int> {
        let blocks = RowBlocks(rows: total).count
        func start(_ k: Int) -> Int { Swift.min(total, (k * blocks / count) * RowBlocks.size) }
        return start(index)..<start(index + 1)
    }
}
