/// Column concatenation and splitting: conditioning by concatenation joins [x, embedding] along
/// features, FiLM splits a linear output into [scale, shift] (PyTorch `cat(dim=1)` / `chunk(2, dim=1)`).
extension Matrix {
    /// [self, other] side by side (same number of rows).
    func concatenatingColumns(_ other: Matrix) -> Matrix {
        precondition(rows == other.rows, "column concatenation of \(rows) and \(other.rows) rows")
        var s = [Scalar]()
        s.reserveCapacity(rows * (columns + other.columns))
        for i in 0..<rows {
            s.append(contentsOf: row(i))
            s.append(contentsOf: other.row(i))
        }
        return Matrix(rows: rows, columns: columns + other.columns, scalars: s)
    }

    /// Columns `range` as a new matrix.
    func columns(_ range: Range<Int>) -> Matrix {
        var s = [Scalar]()
        s.reserveCapacity(rows * range.count)
        for i in 0..<rows {
            s.append(contentsOf: scalars[(i * columns + range.lowerBound)..<(i * columns + range.upperBound)])
        }
        return Matrix(rows: rows, columns: range.count, scalars: s)
    }

    /// `vector` (length `columns`) in every one of `rows` rows.
    static func repeatingRow(_ vector: some Collection<Scalar>, rows: Int) -> Matrix {
        var s = [Scalar]()
        s.reserveCapacity(rows * vector.count)
        for _ in 0..<rows { s.append(contentsOf: vector) }
        return Matrix(rows: rows, columns: vector.count, scalars: s)
    }
}
