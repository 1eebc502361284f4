extension Matrix {
    /// Squared Euclidean distances between the rows of `self` (m × d) and of `other` (n × d),
    /// as an m × n matrix: `‖x_i‖² − 2 x_i·y_j + ‖y_j‖²` with the cross term through GEMM,
    /// clamped at 0 because rounding can make the sum slightly negative for near-equal rows.
    @inlinable public func squaredDistances(to other: Matrix) -> Matrix {
        squaredDistances(to: other, otherSquaredNorms: other.rowSquaredNorms())
    }

    /// The same with `‖y_j‖²` given, for callers that reuse one reference set many times.
    @inlinable public func squaredDistances(to other: Matrix, otherSquaredNorms yn: [Scalar]) -> Matrix {
        precondition(columns == other.columns, "distances between \(columns)-d and \(other.columns)-d points")
        precondition(yn.count == other.rows, "\(yn.count) norms for \(other.rows) points")
        var g = Matrix(uninitializedRows: rows, columns: other.rows)
        Matrix.gemm(self, other, transposeB: true, into: &g)
        let xn = rowSquaredNorms()
        let (m, n) = (rows, other.rows)
        guard m > 0 && n > 0 else { return g }
        g.scalars.withUnsafeMutableBufferPointer { gp in
            xn.withUnsafeBufferPointer { xp in
                yn.withUnsafeBufferPointer { yp in
                    Scalar.kernelSquaredDistancesFromGram(gp.baseAddress!, xp.baseAddress!, yp.baseAddress!, rows: m, cols: n)
                }
            }
        }
        return g
    }
}
