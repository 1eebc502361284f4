extension Matrix {
    /// Mean and covariance of the rows: 1/N each (the covariance of the empirical distribution,
    /// numpy's `ddof=0`, as the oracles use), or `weights[i]` each (summing to 1, as in an EM M-step).
    ///
    /// Two passes (centre, then `Xcᵀ W Xc` by one GEMM) so Float keeps its accuracy when the mean is
    /// large; the result is symmetrised because a blocked GEMM need not return bitwise-symmetric output.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func meanAndCovariance(weights: [Scalar]? = nil) -> (mean: [Scalar], covariance: Matrix) {
        let mean = weights.map { Matrix.product(Matrix(row: $0), self).scalars } ?? columnMeans()
        let centred = addingToRows(mean.map { -$0 })
        let covariance = weights.map { Matrix.product(centred, transposeA: true, centred.scalingRows(by: $0)) }
            ?? Matrix.product(centred, transposeA: true, centred, alpha: 1 / Scalar(Swift.max(rows, 1)))
        return (mean, covariance.symmetrised())
    }

    /// (A + Aᵀ)/2 for a square matrix.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func symmetrised() -> Matrix {
        Matrix(rows: rows, columns: columns) { i, j in (self[i, j] + self[j, i]) / 2 }
    }
}
