/// The exact denoiser of a Gaussian `N(μ, Σ)` under VE noise — a Wiener filter
/// (papers.md §0.4(a); Wang & Vastola 2024):
///
///     D(x; σ) = μ + U diag(λ_k/(λ_k + σ²)) Uᵀ (x − μ),      p_σ = N(μ, Σ + σ² I).
///
/// Σ is held in eigen form `Σ = U Λ Uᵀ + ρ (I − U Uᵀ)`: `U` is d × k with orthonormal columns
/// (the top-k eigenvectors, eigenvalues descending and clamped at 0) and ρ is the variance of
/// every direction orthogonal to them. One type covers the three uses:
/// * full covariance (k = d; ρ plays no role) — `init(mean:covariance:)`, `init(fitting:)`;
/// * low rank (top-k eigenpairs, the rest isotropic with the mean of the dropped eigenvalues)
///   — `lowRank(_:)`;
/// * isotropic `N(μ, s² I)` (k = 0, ρ = s²) — `isotropic(mean:variance:)`.
///
/// Every operation is a spectral filter `μ + φ(Σ)(x − μ)`, computed as
/// `μ + φ(ρ) y + (C ⊙ (φ(λ) − φ(ρ))) Uᵀ` with `y = x − μ` and `C = y U`: two GEMMs, no d × d solve.
public struct GaussianDenoiser<Scalar: MatrixScalar>: DensityModel {
    public let mean: [Scalar]
    /// λ_1 ≥ … ≥ λ_k ≥ 0, the variances along the columns of `eigenvectors`.
    public let eigenvalues: [Scalar]
    /// d × k; column j is the unit eigenvector of `eigenvalues[j]`.
    public let eigenvectors: Matrix<Scalar>
    /// ρ ≥ 0, the variance in every direction orthogonal to `eigenvectors` (meaningless when k = d).
    public let complementVariance: Scalar

    public var dimension: Int { mean.count }
    /// k, the number of eigendirections held explicitly.
    public var rank: Int { eigenvalues.count }
    var hasComplement: Bool { rank < dimension }

    /// The covariance Σ = U diag(λ − ρ) Uᵀ + ρ I as a d × d matrix.
    public var covariance: Matrix<Scalar> {
        let rho = hasComplement ? complementVariance : 0
        var sigma = Matrix<Scalar>.identity(dimension) * rho
        let scaled = eigenvectors.scalingColumns(by: eigenvalues.map { $0 - rho })
        Matrix.gemm(scaled, eigenvectors, transposeB: true, beta: 1, into: &sigma)
        return sigma
    }

    init(mean: [Scalar], eigenvalues: [Scalar], eigenvectors: Matrix<Scalar>, complementVariance: Scalar) {
        self.mean = mean
        self.eigenvalues = eigenvalues
        self.eigenvectors = eigenvectors
        self.complementVariance = complementVariance
    }

    /// `N(mean, covariance)`: checks the shapes, finiteness, symmetry (to √ε relative) and positive
    /// semi-definiteness (smallest eigenvalue ≥ −√ε · largest), then clamps eigenvalues at 0.
    public init(mean: [Scalar], covariance: Matrix<Scalar>) throws(DenoiserError) {
        let d = mean.count
        guard d > 0 else { throw .shapeMismatch("a Gaussian needs at least one dimension") }
        guard covariance.rows == d && covariance.columns == d else {
            throw .shapeMismatch("covariance is \(covariance.rows)×\(covariance.columns) for a \(d)-dimensional mean")
        }
        guard mean.allSatisfy({ $0.isFinite }) else { throw .nonFiniteParameters("the mean") }
        guard covariance.isFinite else { throw .nonFiniteParameters("the covariance") }
        let tolerance = Scalar.ulpOfOne.squareRoot()
        let asymmetry = (covariance - covariance.transposed).maxAbs()
        guard asymmetry <= tolerance * covariance.maxAbs() else {
            throw .invalidCovariance("not symmetric (|Σ − Σᵀ| reaches \(asymmetry))")
        }
        let eigen: SymmetricEigendecomposition<Scalar>
        do { eigen = try covariance.symmetrised().symmetricEigen() } catch { throw .numerics(error) }
        let largest = eigen.values.map { Swift.abs($0) }.max() ?? 0
        if let smallest = eigen.values.first, smallest < -tolerance * largest {
            throw .invalidCovariance("not positive semi-definite (eigenvalue \(smallest))")
        }
        // LAPACK returns ascending eigenvalues; keep them descending so that a prefix is the top-k.
        self.init(mean: mean,
                  eigenvalues: eigen.values.reversed().map { Swift.max($0, 0) },
                  eigenvectors: Matrix(rows: d, columns: d) { i, j in eigen.vectors[i, d - 1 - j] },
                  complementVariance: 0)
    }

    /// Block by block (`RowBlocks`): a row's bits do not depend on the batch or the thread count.
    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> Matrix<Scalar> {
        try validateInput(x, sigma: sigma, dimension: dimension)
        let variance = noiseVariance(sigma)
        return RowBlocks(rows: x.rows).map(x) { posteriorMean(project($0), noiseVariance: variance) }
    }

    /// `log N(x; μ, Σ + σ² I)`, exact.
    public func logDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> [Scalar] {
        try validateInput(x, sigma: sigma, dimension: dimension)
        return logDensity(project(x), noiseVariance: noiseVariance(sigma))
    }

    public func denoiseWithLogDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError)
        -> (denoised: Matrix<Scalar>, logDensity: [Scalar]) {
        try validateInput(x, sigma: sigma, dimension: dimension)
        let projection = project(x), variance = noiseVariance(sigma)
        return (posteriorMean(projection, noiseVariance: variance), logDensity(projection, noiseVariance: variance))
    }

    // MARK: - The shared core (also used by the mixture and by EM, with σ² = 0)

    /// `y = x − μ` and its eigen-coordinates `C = y U`.
    struct Projection {
        let centred: Matrix<Scalar>
        let coordinates: Matrix<Scalar>
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func project(_ x: Matrix<Scalar>) -> Projection {
        let centred = x.addingToRows(mean.map { -$0 })
        return Projection(centred: centred, coordinates: Matrix.product(centred, eigenvectors))
    }

    /// `μ + φ(Σ)(x − μ)` for a spectral filter φ applied to the eigenvalues (and to ρ off the span).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func applyFilter(_ p: Projection, _ phi: (Scalar) -> Scalar) -> Matrix<Scalar> {
        let offSpan = hasComplement ? phi(complementVariance) : 0
        var out = offSpan == 0 ? Matrix(rows: p.centred.rows, columns: dimension) : p.centred * offSpan
        let filtered = p.coordinates.scalingColumns(by: eigenvalues.map { phi($0) - offSpan })
        Matrix.gemm(filtered, eigenvectors, transposeB: true, beta: 1, into: &out)
        return out.addingToRows(mean)
    }

    /// `E[x₀ | x]`: the filter λ/(λ + σ²).
    func posteriorMean(_ p: Projection, noiseVariance s2: Scalar) -> Matrix<Scalar> {
        applyFilter(p) { $0 / ($0 + s2) }
    }

    /// `log N(x; μ, Σ + s2 I)` from the projection (s2 = 0 is allowed when Σ is positive definite).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func logDensity(_ p: Projection, noiseVariance s2: Scalar) -> [Scalar] {
        let variances = eigenvalues.map { $0 + s2 }
        var logDeterminant = variances.reduce(0) { $0 + Scalar.log($1) }
        let (rows, k) = (p.coordinates.rows, rank)
        var quadratic = [Scalar](repeating: 0, count: rows)
        p.coordinates.scalars.withUnsafeBufferPointer { c in
            for b in 0..<rows {
                var sum: Scalar = 0
                for j in 0..<k { sum += c[b * k + j] * c[b * k + j] / variances[j] }
                quadratic[b] = sum
            }
        }
        if hasComplement {
            // The part of y off the span, formed explicitly (not ‖y‖² − ‖C‖², which cancels badly).
            var residual = p.centred
            Matrix.gemm(p.coordinates, eigenvectors, transposeB: true, alpha: -1, beta: 1, into: &residual)
            let offSpanVariance = complementVariance + s2
            logDeterminant += Scalar(dimension - rank) * Scalar.log(offSpanVariance)
            for (b, norm) in residual.rowSquaredNorms().enumerated() { quadratic[b] += norm / offSpanVariance }
        }
        let constant = halfLogTwoPi(dimension: dimension) + logDeterminant / 2
        return quadratic.map { -$0 / 2 - constant }
    }
}

extension Matrix {
    /// Multiplies column j by `factors[j]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func scalingColumns(by factors: [Scalar]) -> Matrix {
        precondition(factors.count == columns, "\(factors.count) column factors for \(columns) columns")
        var out = self
        out.scalars.withUnsafeMutableBufferPointer { o in
            for i in 0..<rows { for j in 0..<columns { o[i * columns + j] *= factors[j] } }
        }
        return out
    }
}
