/// A batched autonomous vector field f: ℝ^d → ℝ^d (rows in, rows out), the right-hand side of
/// dx/dτ = f(x). Kim's sampling ODE is this with f = f*, the optimal multiplicative field
/// (papers.md §1.3: dx/dσ = −f(x), so τ = σ_max − σ).
public struct VectorField<Scalar: MatrixScalar> {
    public let dimension: Int
    private let evaluate: (Matrix<Scalar>) throws -> Matrix<Scalar>

    /// Any field given as a batched function (e.g. a learned network's f).
    public init(dimension: Int, _ evaluate: @escaping (Matrix<Scalar>) throws -> Matrix<Scalar>) {
        self.dimension = dimension
        self.evaluate = evaluate
    }

    /// Kim's exact f* (`MultiplicativeOptimalField.field`).
    public init<Base>(_ field: MultiplicativeOptimalField<Base>) where Base.Scalar == Scalar {
        self.init(dimension: field.dimension) { try field.field($0) }
    }

    /// f at every row of `y` (B × d).
    public func callAsFunction(_ y: Matrix<Scalar>) throws(AnalysisError) -> Matrix<Scalar> {
        let out = try AnalysisError.wrapping { try evaluate(y) }
        guard out.rows == y.rows && out.columns == dimension else {
            throw .invalidInput("the field returned \(out.rows)×\(out.columns) for \(y.rows)×\(dimension) input")
        }
        return out
    }

    /// The Jacobian `J_ij = ∂f_i/∂y_j` at `y` by central differences with step h (one batched call
    /// of 2d rows); the error is O(h²) times the third derivative.
    public func jacobian(at y: [Scalar], step h: Scalar) throws(AnalysisError) -> Matrix<Scalar> {
        let d = dimension
        let probes = Matrix<Scalar>(rows: 2 * d, columns: d) { r, j in
            y[j] + (j == r / 2 ? (r % 2 == 0 ? h : -h) : 0)
        }
        let values = try self(probes)
        return Matrix(rows: d, columns: d) { i, j in (values[2 * j, i] - values[2 * j + 1, i]) / (2 * h) }
    }
}
