/// Reductions over rows, columns and all elements; sums accumulate in the matrix's precision.
extension Matrix {
    /// Σ_j A_ij for every row i.
    @inlinable public func rowSums() -> [Scalar] {
        (0..<rows).map { i in row(i).reduce(0, +) }
    }

    @inlinable public func rowMeans() -> [Scalar] {
        let c = Scalar(columns)
        return rowSums().map { $0 / c }
    }

    /// ‖row i‖² for every row.
    @inlinable public func rowSquaredNorms() -> [Scalar] {
        var out = [Scalar](repeating: 0, count: rows)
        scalars.withUnsafeBufferPointer { s in
            for i in 0..<rows {
                var acc: Scalar = 0
                for j in 0..<columns { let v = s[i * columns + j]; acc += v * v }
                out[i] = acc
            }
        }
        return out
    }

    @inlinable public func rowMaxima() -> [Scalar] { (0..<rows).map { row($0).max() ?? -.infinity } }

    /// Σ_i A_ij for every column j (a BLAS product with a vector of ones).
    @inlinable public func columnSums() -> [Scalar] {
        guard rows > 0 else { return [Scalar](repeating: 0, count: columns) }
        return Matrix.product(Matrix(rows: 1, columns: rows, repeating: 1), self).scalars
    }

    @inlinable public func columnMeans() -> [Scalar] {
        let r = Scalar(Swift.max(rows, 1))
        return columnSums().map { $0 / r }
    }

    @inlinable public func sum() -> Scalar { scalars.reduce(0, +) }

    /// Mean of all elements (0 for an empty matrix).
    @inlinable public func mean() -> Scalar { count == 0 ? 0 : sum() / Scalar(count) }

    /// Frobenius norm.
    @inlinable public func norm() -> Scalar { rowSquaredNorms().reduce(0, +).squareRoot() }

    /// Largest |A_ij|.
    @inlinable public func maxAbs() -> Scalar { scalars.reduce(0) { Swift.max($0, Swift.abs($1)) } }
}
