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

@Suite("Row blocks and Parallelism")
struct RowBlocksTests {
    @Test(arguments: [0, 1, 63, 64, 65, 200])
    func blocksPartitionTheBatch(rows: Int) {
        let blocks = RowBlocks(rows: rows)
        let ranges = (0..<blocks.count).map(blocks.range)
        #expect(blocks.count == (rows + 63) / 64)
        #expect(ranges.flatMap { Array($0) } == Array(0..<rows))
        #expect(ranges.allSatisfy { $0.count >= 1 && $0.count <= RowBlocks.size && $0.lowerBound % RowBlocks.size == 0 })
    }

    @Test func blocksArePaddedWithZerosAndAssembleBack() {
        let m = Matrix<Double>(rows: 70, columns: 3) { i, j in Double(10 * i + j + 1) }
        let blocks = RowBlocks(rows: 70)
        let last = blocks.block(1, of: m)
        #expect(last.rows == 64)
        #expect(last.row(5) == [691, 692, 693])
        #expect(last.rows(6..<64).scalars.allSatisfy { $0 == 0 })
        #expect(blocks.block(1, of: Array(0..<70), padding: -1) == Array(64..<70) + Array(repeating: -1, count: 58))
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
        let x = filled(200, 96, seed: 1), w = filled(96, 80, seed: 2)
        let product = { (m: Matrix<Float>) in RowBlocks(rows: m.rows).map(m) { $0 * w } }
        let whole = withThreads(2) { product(x) }
        #expect(withThreads(1) { product(x) } == whole)
        let tail = withThreads(2) { product(x.rows(64..<200)) }
        #expect(tail == whole.rows(64..<200))
        let head = withThreads(2) { product(x.rows(0..<70)) }
        #expect(head == whole.rows(0..<70))
        #expect(maxAbsDifference(whole.scalars, naiveProduct(x, w)) < 1e-4)
    }
}
