/// Numerically stable row-wise softmax and log-sum-exp (max-subtracted), on the SIMD kernels.
extension Matrix {
    /// Row-wise softmax `exp(a_ij − m_i) / Σ_j exp(a_ij − m_i)` with `m_i = max_j a_ij`.
    ///
    /// Entries of −∞ get weight 0. A row containing NaN or +∞, or only −∞, has no finite
    /// softmax and comes back as NaN.
    @inlinable public func softmaxRows() -> Matrix {
        var out = self
        out.formSoftmaxRows()
        return out
    }

    /// In-place form of `softmaxRows()`.
    @inlinable public mutating func formSoftmaxRows() {
        let (r, c) = (rows, columns)
        guard r > 0 && c > 0 else { return }
        scalars.withUnsafeMutableBufferPointer { p in
            Scalar.kernelSoftmaxRows(UnsafePointer(p.baseAddress!), p.baseAddress!, rows: r, cols: c)
        }
    }

    /// Row-wise `log Σ_j exp(a_ij)`, computed as `m_i + log Σ_j exp(a_ij − m_i)` so it never
    /// overflows. A row of only −∞ gives −∞; a row containing +∞ gives +∞; NaN propagates.
    @inlinable public func logSumExpRows() -> [Scalar] {
        var out = [Scalar](repeating: -.infinity, count: rows)
        guard rows > 0 && columns > 0 else { return out }
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                Scalar.kernelLogSumExpRows(x.baseAddress!, o.baseAddress!, rows: rows, cols: columns)
            }
        }
        return out
    }
}
