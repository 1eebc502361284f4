/// A batch of `rows` rows cut into blocks of `RowBlocks.size` rows starting at row 0, the last
/// padded to the full size: the unit of batch-invariant, thread-invariant computation.
///
/// Why: BLAS GEMM rounds a row differently depending on where the row sits in the call (its
/// register tile and edge kernels) and on BLAS's thread count (measured on OpenBLAS 0.3.21: 1 vs 2
/// threads, and the same rows at another offset, change from a few percent to most of the Float
/// entries). A row-wise function evaluated block by block, each block one single-threaded call of
/// exactly `size` rows, gives row i a result that depends only on its content and on i mod `size`. So any batch whose
/// splits fall on multiples of `size` (`--shard`, evaluation chunks) reproduces the whole batch
/// bit for bit, and so does any thread count.
public struct RowBlocks: Sendable, Equatable {
    /// Rows per block. Measured with OpenBLAS 0.3.21 (Zen, one thread, 256×256 weights), four
    /// 64-row calls cost 27 % more than one 256-row call, two 128-row calls 9 %; 128 rows still
    /// split a 256-row training batch over two cores.
    public static let size = 128

    /// The rows of the batch.
    public let rows: Int

    public init(rows: Int) {
        precondition(rows >= 0, "a batch of \(rows) rows")
        self.rows = rows
    }

    /// The number of blocks.
    public var count: Int { (rows + Self.size - 1) / Self.size }

    /// The rows of the batch in block b (fewer than `size` only for the last).
    public func range(_ b: Int) -> Range<Int> {
        (b * Self.size)..<Swift.min((b + 1) * Self.size, rows)
    }

    /// Block b of `m` (`rows` × c) as a `size` × c matrix, zero rows after the batch's end.
    @inlinable public func block<Scalar: MatrixScalar>(_ b: Int, of m: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(m.rows == rows, "a \(m.rows)-row matrix cut as a \(rows)-row batch")
        let r = range(b)
        var scalars = Array(m.scalars[(r.lowerBound * m.columns)..<(r.upperBound * m.columns)])
        scalars.append(contentsOf: repeatElement(0, count: (Self.size - r.count) * m.columns))
        return Matrix(rows: Self.size, columns: m.columns, scalars: scalars)
    }

    /// Block b of per-row values, padded with `padding` after the batch's end.
    public func block<T>(_ b: Int, of values: [T], padding: T) -> [T] {
        precondition(values.count == rows, "\(values.count) values cut as a \(rows)-row batch")
        let r = range(b)
        return Array(values[r]) + repeatElement(padding, count: Self.size - r.count)
    }

    /// The batch's rows of per-block results (each `size` × `columns`), stacked: the inverse of `block`.
    @inlinable public func assemble<Scalar: MatrixScalar>(_ blocks: [Matrix<Scalar>], columns: Int) -> Matrix<Scalar> {
        precondition(blocks.count == count, "\(blocks.count) blocks for a batch of \(count)")
        var scalars = [Scalar]()
        scalars.reserveCapacity(rows * columns)
        for (b, block) in blocks.enumerated() {
            precondition(block.rows == Self.size && block.columns == columns, "block \(b) is \(block.rows)×\(block.columns)")
            scalars.append(contentsOf: block.scalars[0..<(range(b).count * columns)])
        }
        return Matrix(rows: rows, columns: columns, scalars: scalars)
    }

    /// A row-wise map `f` (each output row a function of the same input row) applied block by
    /// block on up to `Parallelism.maximumThreads` threads. An empty batch goes to `f` as it is.
    public func map<Scalar: MatrixScalar, E: Error>(
        _ m: Matrix<Scalar>, _ f: (Matrix<Scalar>) throws(E) -> Matrix<Scalar>
    ) throws(E) -> Matrix<Scalar> {
        guard rows > 0 else { return try f(m) }
        let results = try Parallelism.concurrentMap(count) { (b: Int) throws(E) in try f(block(b, of: m)) }
        return assemble(results, columns: results[0].columns)
    }
}
