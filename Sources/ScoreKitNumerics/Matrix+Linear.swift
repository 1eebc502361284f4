/// Products, transposes and decompositions through BLAS/LAPACK.
extension Matrix {
    /// C = α · op(A) · op(B) + β · C, with op the transpose when asked (BLAS `gemm`).
    @inlinable public static func gemm(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
        alpha: Scalar = 1, beta: Scalar = 0, into c: inout Matrix
    ) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
        precondition(c.rows == m && c.columns == n, "gemm: output is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        guard m > 0 && n > 0 else { return }
        if k == 0 {  // BLAS leaves C untouched when k = 0; the product of empty factors is 0.
            // β = 0 must overwrite (C may be uninitialised), as BLAS does.
            c.scalars.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = beta == 0 ? 0 : beta * $0[i] } }
            return
        }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    Scalar.blasGemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                    a: pa.baseAddress!, lda: max(a.columns, 1), b: pb.baseAddress!, ldb: max(b.columns, 1),
                                    beta: beta, c: pc.baseAddress!, ldc: max(n, 1))
                }
            }
        }
    }

    /// op(A) · op(B).
    @inlinable public static func product(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                               alpha: Scalar = 1) -> Matrix {
        var c = Matrix(uninitializedRows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        gemm(a, transposeA: transposeA, b, transposeB: transposeB, alpha: alpha, into: &c)
        return c
    }

    /// Matrix product through BLAS.
    @inlinable public static func * (a: Matrix, b: Matrix) -> Matrix { product(a, b) }

    @inlinable public var transposed: Matrix {
        var t = [Scalar](repeating: 0, count: count)
        // Blocked so both reads and writes stay in cache for large matrices.
        let bs = 32
        scalars.withUnsafeBufferPointer { s in
            t.withUnsafeMutableBufferPointer { d in
                for i0 in stride(from: 0, to: rows, by: bs) {
                    for j0 in stride(from: 0, to: columns, by: bs) {
                        for i in i0..<Swift.min(i0 + bs, rows) {
                            for j in j0..<Swift.min(j0 + bs, columns) { d[j * rows + i] = s[i * columns + j] }
                        }
                    }
                }
            }
        }
        return Matrix(rows: columns, columns: rows, scalars: t)
    }
}

/// Eigenvalues (ascending) and orthonormal eigenvectors (the columns of `vectors`) of a symmetric matrix.
public struct SymmetricEigendecomposition<Scalar: MatrixScalar>: Sendable {
    public let values: [Scalar]
    /// Column k is the unit eigenvector of `values[k]`.
    public let vectors: Matrix<Scalar>

    @inlinable public init(values: [Scalar], vectors: Matrix<Scalar>) {
        self.values = values
        self.vectors = vectors
    }
}

extension Matrix {
    /// Symmetric eigendecomposition through LAPACK `syevd` (divide and conquer).
    ///
    /// Only symmetry up to rounding is required; the lower triangle (in LAPACK's column-major
    /// view, our upper triangle) is what LAPACK reads.
    @inlinable public func symmetricEigen() throws(NumericsError) -> SymmetricEigendecomposition<Scalar> {
        guard isSquare else { throw .shapeMismatch("eigendecomposition of a \(rows)×\(columns) matrix") }
        let n = rows
        if n == 0 { return SymmetricEigendecomposition(values: [], vectors: self) }
        // Row-major A is column-major Aᵀ = A, so the buffer goes to LAPACK as is; the eigenvectors
        // come back column-major, i.e. as the rows of our buffer, hence the final transpose.
        var a = scalars
        var w = [Scalar](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in Scalar.lapackSyevd(n: n, a: pa.baseAddress!, w: pw.baseAddress!) }
        }
        guard info == 0 else { throw .lapackFailure(routine: "syevd", info: info) }
        return SymmetricEigendecomposition(values: w, vectors: Matrix(rows: n, columns: n, scalars: a).transposed)
    }

    /// Lower-triangular L with A = L Lᵀ, through LAPACK `potrf`.
    @inlinable public func cholesky() throws(NumericsError) -> Matrix {
        guard isSquare else { throw .shapeMismatch("Cholesky factor of a \(rows)×\(columns) matrix") }
        let n = rows
        // LAPACK's upper factor U (column-major, Aᵀ = A) read row-major is Uᵀ = L.
        var a = scalars
        let info = a.withUnsafeMutableBufferPointer { Scalar.lapackPotrf(n: n, a: $0.baseAddress!) }
        if info > 0 { throw .notPositiveDefinite(minorOrder: info) }
        guard info == 0 else { throw .lapackFailure(routine: "potrf", info: info) }
        // potrf leaves the other triangle untouched: zero it.
        for i in 0..<n { for j in (i + 1)..<n { a[i * n + j] = 0 } }
        return Matrix(rows: n, columns: n, scalars: a)
    }
}
