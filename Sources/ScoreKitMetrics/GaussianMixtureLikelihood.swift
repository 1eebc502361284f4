import Foundation

/// The parameters of a Gaussian mixture `p(x) = Σ_k w_k N(x; m_k, S_k)` with full covariances,
/// as plain arrays and matrices (this layer knows no denoiser types).
public struct GaussianMixtureParameters<Scalar: MatrixScalar>: Sendable {
    /// Mixture weights w_k ≥ 0, summing to 1 (to 1e-4; they are renormalised exactly).
    public let weights: [Scalar]
    /// K × d: row k is the mean m_k.
    public let means: Matrix<Scalar>
    /// K matrices of size d × d, symmetric positive definite.
    public let covariances: [Matrix<Scalar>]

    /// Throws unless the shapes agree, everything is finite and the weights form a distribution.
    /// Positive definiteness is checked when the likelihood is evaluated (by Cholesky).
    public init(weights: [Scalar], means: Matrix<Scalar>, covariances: [Matrix<Scalar>]) throws(MetricsError) {
        let (k, d) = (means.rows, means.columns)
        guard k >= 1 && d >= 1 else { throw .invalidMixture("needs at least one component in at least one dimension") }
        guard weights.count == k else { throw .invalidMixture("\(weights.count) weights for \(k) means") }
        guard covariances.count == k else { throw .invalidMixture("\(covariances.count) covariances for \(k) means") }
        for (i, s) in covariances.enumerated() where s.rows != d || s.columns != d {
            throw .invalidMixture("covariance \(i) is \(s.rows)×\(s.columns), expected \(d)×\(d)")
        }
        guard weights.allSatisfy(\.isFinite) && means.isFinite && covariances.allSatisfy(\.isFinite) else {
            throw .invalidMixture("parameters contain NaN or infinite values")
        }
        guard weights.allSatisfy({ $0 >= 0 }) else { throw .invalidMixture("negative weight") }
        let total = weights.reduce(0.0) { $0 + Double($1) }
        guard abs(total - 1) <= 1e-4 else { throw .invalidMixture("weights sum to \(total), not 1") }
        self.weights = weights
        self.means = means
        self.covariances = covariances
    }
}

extension Metrics {
    /// Average negative log-likelihood of the samples under a Gaussian mixture, in nats:
    /// `−(1/n) Σ_i log Σ_k w_k N(x_i; m_k, S_k)`.
    ///
    /// Per component, with the Cholesky factor `S_k = L_k L_kᵀ` (LAPACK `potrf`):
    /// `log N(x; m, S) = −½ ‖L⁻¹(x − m)‖² − Σ_j log L_jj − (d/2) log 2π`, all samples at once
    /// through one GEMM with `L⁻¹` (forward substitution); the sum over components is a
    /// max-subtracted log-sum-exp, so far-away samples give large finite values, not ∞.
    /// Computed in Double whatever the input precision. Needs n ≥ 1.
    public static func gaussianMixtureNLL<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, mixture: GaussianMixtureParameters<Scalar>
    ) throws(MetricsError) -> Double {
        try Validate.points(x, "samples", minimum: 1)
        let d = mixture.means.columns
        guard x.columns == d else { throw .dimensionMismatch(what: "samples", expected: d, found: x.columns) }
        let points = x.converted(to: Double.self)
        let weightSum = mixture.weights.reduce(0.0) { $0 + Double($1) }
        let k = mixture.weights.count
        var logTerms = Matrix<Double>(rows: x.rows, columns: k)  // log w_k + log N(x_i; m_k, S_k)
        for c in 0..<k {
            let factor: Matrix<Double>
            do { factor = try mixture.covariances[c].converted(to: Double.self).cholesky() } catch {
                throw .invalidMixture("covariance \(c) is not positive definite")
            }
            let mean = mixture.means.row(c).map { -Double($0) }
            let whitened = Matrix.product(points.addingToRows(mean), lowerTriangularInverse(factor), transposeB: true)
            let logDeterminant = 2 * (0..<d).reduce(0.0) { $0 + Foundation.log(factor[$1, $1]) }
            let constant = Foundation.log(Double(mixture.weights[c]) / weightSum)
                - 0.5 * (logDeterminant + Double(d) * Foundation.log(2 * Double.pi))
            for (i, mahalanobis) in whitened.rowSquaredNorms().enumerated() {
                logTerms[i, c] = constant - 0.5 * mahalanobis
            }
        }
        return -logTerms.logSumExpRows().reduce(0, +) / Double(x.rows)
    }

    /// `L⁻¹` for lower-triangular `L` with a positive diagonal, by forward substitution on the
    /// columns of the identity.
    static func lowerTriangularInverse(_ l: Matrix<Double>) -> Matrix<Double> {
        let n = l.rows
        var inverse = Matrix<Double>(rows: n, columns: n)
        for j in 0..<n {
            for i in j..<n {
                var s = i == j ? 1.0 : 0.0
                for k in j..<i { s -= l[i, k] * inverse[k, j] }
                inverse[i, j] = s / l[i, i]
            }
        }
        return inverse
    }
}
