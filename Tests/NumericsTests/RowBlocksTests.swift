import Testing
@testable import ScoreKitNumerics

private struct IterationFailed: Error, Equatable { let index: Int }

/// Runs `body` with `Parallelism.maximumThreads` set to `threads`, then restores it. Other tests
/// may run meanwhile: the setting changes only where work runs, never a result.
private func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
    let saved = Parallelism.maximumThreads
    Parallelism.maximumThreads = threads
    defer { Parallelism.maximumThreads = saved }
    return try body()
}

private func filled(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix<Float> {
    var generator = PhiloxGenerator(seed: seed)
    return Matrix(rows: rows, columns: columns) { _, _ in Float.random(in: -1...1, using: &generator) }
}

/// Block size s = `RowBlocks.size`; the cases are placed relative to it.
private let s = RowBlocks.size

@Suite("Row blocks and Parallelism")
struct RowBlocksTests {
    @Test(arguments: [0, 1, s - 1, s, s + 1, 3 * s + 8])
    func blocksPartitionTheBatch(rows: Int) {
        let blocks = RowBlocks(rows: rows)
        let ranges = (0..<blocks.count).map(blocks.range)
        #expect(blocks.count == Int((Double(rows) / Double(s)).rounded(.up)))
        #expect(ranges.flatMap { Array($0) } == Array(0..<rows))
        #expect(ranges.allSatisfy { $0.count >= 1 && $0.count <= s && $0.lowerBound % s == 0 })
    }

    @Test func blocksArePaddedWithZerosAndAssembleBack() {
        let m = Matrix<Double>(rows: s + 6, columns: 3) { i, j in Double(10 * i + j + 1) }
        let blocks = RowBlocks(rows: s + 6)
        let last = blocks.block(1, of: m)
        #expect(last.rows == s)
        #expect(last.row(5) == [Double(10 * (s + 5) + 1), Double(10 * (s + 5) + 2), Double(10 * (s + 5) + 3)])
        #expect(last.rows(6..<s).scalars.allSatisfy { $0 == 0 })
        #expect(blocks.block(1, of: Array(0..<(s + 6)), padding: -1) == Array(s..<(s + 6)) + Array(repeating: -1, count: s - 6))
        #expect(blocks.assemble([blocks.block(0, of: m), last], columns: 3) == m)
    }

    @Test(arguments: [0, 1, 5, 9])
    func concurrentMapKeepsTheOrder(count: Int) {
        for threads in [1, 2, 3] {
            let squares = withThreads(threads) { Parallelism.concurrentMap(count) { $0 * $0 } }
            #expect(squares == (0..<count).map { $0 * $0 }, "\(threads) threads")
        }
    }

    @Test func concurrentMapRethrowsTheLowestFailingIteration() {
        for threads in [1, 2] {
            #expect(throws: IterationFailed(index: 3)) {
                try withThreads(threads) {
                    try Parallelism.concurrentMap(8) { (i: Int) throws(IterationFailed) -> Int in
                        if i == 3 || i == 6 { throw IterationFailed(index: i) }
                        return i
                    }
                }
            }
        }
    }

    /// The point of blocks: a row of X·W computed block by block has the same bits whatever the
    /// batch around it (as long as it keeps its offset within its block) and whatever the thread
    /// count, and it is the product (to Float rounding of a Double loop).
    @Test func blockedProductsAreBatchAndThreadInvariant() {
        let rows = 3 * s + 8
        let x = filled(rows, 96, seed: 1), w = filled(96, 80, seed: 2)
        let product = { (m: Matrix<Float>) in RowBlocks(rows: m.rows).map(m) { $0 * w } }
        let whole = withThreads(2) { product(x) }
        #expect(withThreads(1) { product(x) } == whole)
        let tail = withThreads(2) { product(x.rows(s..<rows)) }
        #expect(tail == whole.rows(s..<rows))
        let head = withThreads(2) { product(x.rows(0..<(s + 6))) }
        #expect(head == whole.rows(0..<(s + 6)))
        #expect(maxAbsDifference(whole.scalars, naiveProduct(x, w)) < 1e-4)
    }
}
