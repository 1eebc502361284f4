/// The mean and covariance of a Gaussian, in Double.
public struct GaussianMoments: Sendable, Equatable {
    public let mean: [Double]
    /// Symmetric positive semi-definite, `mean.count × mean.count`.
    public let covariance: Matrix<Double>

    /// Throws unless the covariance is square, matches the mean, is finite and symmetric (to
    /// 1e-9 relative). Semi-definiteness is not checked: negative eigenvalues are clamped at 0
    /// where square roots are taken.
    public init(mean: [Double], covariance: Matrix<Double>) throws(MetricsError) {
        guard covariance.rows == mean.count && covariance.columns == mean.count else {
            throw .dimensionMismatch(what: "covariance (\(covariance.rows)×\(covariance.columns))",
                                     expected: mean.count, found: covariance.rows)
        }
        guard covariance.isFinite && mean.allSatisfy(\.isFinite) else { throw .nonFinite(what: "Gaussian moments") }
        let scale = covariance.maxAbs()
        guard (covariance - covariance.transposed).maxAbs() <= 1e-9 * scale else {
            throw .invalidParameter("covariance is not symmetric")
        }
        self.mean = mean
        self.covariance = covariance
    }

    /// The sample mean and the unbiased sample covariance `(1/(n−1)) Σ (x_i − x̄)(x_i − x̄)ᵀ`,
    /// computed in Double (GEMM on the centred rows). Needs n ≥ 2.
    public static func fit<Scalar: MatrixScalar>(_ x: Matrix<Scalar>) throws(MetricsError) -> GaussianMoments {
        try Validate.points(x, "samples", minimum: 2)
        let points = x.converted(to: Double.self)
        let mean = points.columnMeans()
        let centred = points.addingToRows(mean.map { -$0 })
        let scatter = Matrix.product(centred, transposeA: true, centred, alpha: 1 / Double(x.rows - 1))
        return try GaussianMoments(mean: mean, covariance: (scatter + scatter.transposed) / 2)
    }
}

extension Metrics {
    /// Fréchet distance (squared 2-Wasserstein distance) between two Gaussians
    /// (Dowson & Landau 1982; the FID formula of Heusel et al. 2017):
    /// `‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2})`.
    ///
    /// Both square roots come from the symmetric eigendecomposition (LAPACK `syevd`) with the
    /// eigenvalues clamped at 0, so rank-deficient covariances (constant pixels) are fine; the
    /// product is symmetrised before its decomposition. The result is clamped at 0 against
    /// rounding.
    public static func frechetDistance(_ a: GaussianMoments, _ b: GaussianMoments) throws(MetricsError) -> Double {
        guard a.mean.count == b.mean.count else {
            throw .dimensionMismatch(what: "second Gaussian", expected: a.mean.count, found: b.mean.count)
        }
        let meanTerm = zip(a.mean, b.mean).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let rootA = try symmetricFunction(a.covariance) { $0.squareRoot() }
        let product = rootA * b.covariance * rootA
        let cross = try eigenvalues((product + product.transposed) / 2).reduce(0.0) { $0 + Swift.max($1, 0).squareRoot() }
        let d = a.mean.count
        let traces = (0..<d).reduce(0.0) { $0 + a.covariance[$1, $1] + b.covariance[$1, $1] }
        return Swift.max(meanTerm + traces - 2 * cross, 0)
    }

    /// The Fréchet distance between the Gaussian fits (`GaussianMoments.fit`) of two samples:
    /// the "FD" of raw coordinates. Needs n, m ≥ 2.
    public static func frechetDistance<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>
    ) throws(MetricsError) -> Double {
        try validatePair(x, y, minimum: 2)
        return try frechetDistance(GaussianMoments.fit(x), GaussianMoments.fit(y))
    }

    /// `V f(max(Λ, 0)) Vᵀ` for the symmetric `s = V Λ Vᵀ`.
    static func symmetricFunction(_ s: Matrix<Double>, _ f: (Double) -> Double) throws(MetricsError) -> Matrix<Double> {
        let e: SymmetricEigendecomposition<Double>
        do { e = try s.symmetricEigen() } catch { throw .numerics(error.description) }
        let scaled = e.vectors.transposed.scalingRows(by: e.values.map { f(Swift.max($0, 0)) })
        return e.vectors * scaled
    }

    static func eigenvalues(_ s: Matrix<Double>) throws(MetricsError) -> [Double] {
        do { return try s.symmetricEigen().values } catch { throw .numerics(error.description) }
    }
}
