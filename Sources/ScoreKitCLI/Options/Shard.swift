import ArgumentParser

/// `--shard k/n`: part k (0-based) of n equal, contiguous parts of the rows, so a large job can be
/// spread over machines and the concatenated shards equal the unsharded run.
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

    /// The rows of `total` this shard owns: rows ⌊k·B/n⌋ ..< ⌊(k+1)·B/n⌋.
    func rows(of total: Int) -> Range<Int> {
        (index * total / count)..<((index + 1) * total / count)
    }
}
