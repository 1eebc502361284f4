/// A dense row-major matrix of `Float` or `Double` with value semantics.
///
/// A batch of B points in d dimensions is a B × d matrix; row `i` is point `i`. Storage is a plain
/// array, so copies are copy-on-write and buffers pass straight to BLAS.
public struct Matrix<Scalar: MatrixScalar>: Sendable, Equatable, Codable {
    public let rows: Int
    public let columns: Int
    /// Row-major elements: element (i, j) is `scalars[i * columns + j]`.
    public var scalars: [Scalar]

    /// A matrix over existing row-major elements. Traps unless `scalars.count == rows * columns`.
    @inlinable public init(rows: Int, columns: Int, scalars: [Scalar]) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimensions \(rows)×\(columns)")
        precondition(scalars.count == rows * columns,
                     "\(scalars.count) elements do not fill a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    /// A matrix whose elements the caller overwrites at once (GEMM outputs with β = 0): skips the
    /// zero fill, which costs as much as a small product. An empty one is `[]`: the uninitialized
    /// initializer of capacity 0 writes its count into the process-wide empty-array storage, a
    /// data race (ThreadSanitizer) with every thread reading another empty array.
    @inlinable init(uninitializedRows rows: Int, columns: Int) {
        guard rows * columns > 0 else {
            self.init(rows: rows, columns: columns, scalars: [])
            return
        }
        self.init(rows: rows, columns: columns, scalars: [Scalar](unsafeUninitializedCapacity: rows * columns) { _, n in
            n = rows * columns
        })
    }

    @inlinable public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        self.init(rows: rows, columns: columns, scalars: [Scalar](repeating: value, count: rows * columns))
    }

    /// A matrix whose rows are the given arrays (all of equal length).
    @inlinable public init(rowArrays: [[Scalar]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "rows of unequal length")
        self.init(rows: rowArrays.count, columns: c, scalars: rowArrays.flatMap { $0 })
    }

    /// Element (i, j) computed by `f`.
    @inlinable public init(rows: Int, columns: Int, _ f: (Int, Int) -> Scalar) {
        var s = [Scalar]()
        s.reserveCapacity(rows * columns)
        for i in 0..<rows { for j in 0..<columns { s.append(f(i, j)) } }
        self.init(rows: rows, columns: columns, scalars: s)
    }

    @inlinable public static func identity(_ n: Int) -> Matrix { Matrix(rows: n, columns: n) { $0 == $1 ? 1 : 0 } }

    /// A 1 × n row vector or an n × 1 column vector.
    @inlinable public init(row: [Scalar]) { self.init(rows: 1, columns: row.count, scalars: row) }
    @inlinable public init(column: [Scalar]) { self.init(rows: column.count, columns: 1, scalars: column) }

    @inlinable public var count: Int { scalars.count }
    @inlinable public var shape: (rows: Int, columns: Int) { (rows, columns) }
    @inlinable public var isSquare: Bool { rows == columns }

    @inlinable public subscript(i: Int, j: Int) -> Scalar {
        get { scalars[i * columns + j] }
        set { scalars[i * columns + j] = newValue }
    }

    /// Row `i` as a slice of the storage (no copy).
    @inlinable public func row(_ i: Int) -> ArraySlice<Scalar> { scalars[(i * columns)..<((i + 1) * columns)] }

    @inlinable public mutating func setRow(_ i: Int, to values: some Collection<Scalar>) {
        precondition(values.count == columns, "row of length \(values.count) for \(columns) columns")
        scalars.replaceSubrange((i * columns)..<((i + 1) * columns), with: values)
    }

    /// Rows `range` as a new matrix.
    @inlinable public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns,
               scalars: Array(scalars[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// The rows at the given indices, in that order.
    @inlinable public func rows(at indices: some Collection<Int>) -> Matrix {
        var s = [Scalar]()
        s.reserveCapacity(indices.count * columns)
        for i in indices { s.append(contentsOf: row(i)) }
        return Matrix(rows: indices.count, columns: columns, scalars: s)
    }

    /// The matrices stacked vertically (all with the same number of columns).
    @inlinable public static func vstack(_ parts: [Matrix]) -> Matrix {
        let c = parts.first?.columns ?? 0
        precondition(parts.allSatisfy { $0.columns == c }, "vstack of matrices with different widths")
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, columns: c, scalars: parts.flatMap { $0.scalars })
    }

    /// Same elements, another shape with the same count.
    @inlinable public func reshaped(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, scalars: scalars)
    }

    /// The same values in the other precision.
    @inlinable public func converted<Other: MatrixScalar>(to: Other.Type = Other.self) -> Matrix<Other> {
        Matrix<Other>(rows: rows, columns: columns, scalars: scalars.map { Other($0) })
    }
}

extension Matrix: CustomStringConvertible {
    @inlinable public var description: String {
        let shown = (0..<min(rows, 6)).map { i in
            "[" + row(i).prefix(8).map { "\($0)" }.joined(separator: ", ") + (columns > 8 ? ", …" : "") + "]"
        }
        return "Matrix<\(Scalar.precisionName)>(\(rows)×\(columns)) " + shown.joined(separator: " ") + (rows > 6 ? " …" : "")
    }
}
