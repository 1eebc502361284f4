/// One noise level of a variance-preserving process, x_vp = α x₀ + σ ε, and its change of
/// variables to the variance-exploding form that every ScoreKit denoiser and sampler uses:
/// x_ve = x_vp/α = x₀ + (σ/α) ε, so σ_ve = σ/α (papers.md §0.4(a), "substitute x → x/α,
/// σ → σ/α"). Conversely a VE level σ_ve is the VP level with α = 1/√(1 + σ_ve²), σ = σ_ve α
/// (α² + σ² = 1). Log-SNR λ = ln(α²/σ²) = −2 ln σ_ve is the same in both.
public struct VPNoiseLevel<Scalar: MatrixScalar>: Equatable, Sendable, Codable {
    /// α, the scale of the clean data.
    public let alpha: Scalar
    /// σ, the standard deviation of the noise in VP coordinates.
    public let sigma: Scalar

    public init(alpha: Scalar, sigma: Scalar) {
        self.alpha = alpha
        self.sigma = sigma
    }

    /// The variance-preserving level (α² + σ² = 1) with VE noise level `veSigma`.
    public init(veSigma: Scalar) {
        let alpha = 1 / (1 + veSigma * veSigma).squareRoot()
        self.init(alpha: alpha, sigma: veSigma * alpha)
    }

    /// σ_ve = σ/α.
    public var veSigma: Scalar { sigma / alpha }

    /// λ = ln(α²/σ²), the log signal-to-noise ratio.
    public var logSNR: Scalar { 2 * Scalar.log(alpha / sigma) }

    /// x_vp = α x₀ + σ ε.
    public func perturb(_ x0: Matrix<Scalar>, noise: Matrix<Scalar>) -> Matrix<Scalar> {
        x0.linearCombination(alpha, sigma, noise)
    }

    /// x_ve = x_vp/α.
    public func veState(fromVP x: Matrix<Scalar>) -> Matrix<Scalar> { x / alpha }

    /// x_vp = α x_ve.
    public func vpState(fromVE x: Matrix<Scalar>) -> Matrix<Scalar> { alpha * x }
}

/// Variance-exploding noising, DESIGN.md's convention: x_σ = x₀ + σ ε.
public enum VENoise {
    public static func perturb<Scalar: MatrixScalar>(
        _ x0: Matrix<Scalar>, sigma: Scalar, noise: Matrix<Scalar>
    ) -> Matrix<Scalar> {
        x0.linearCombination(1, sigma, noise)
    }
}
