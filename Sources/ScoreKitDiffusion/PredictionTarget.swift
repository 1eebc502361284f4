/// What a model's raw output estimates, and the conversions between them at one noise level.
///
/// Convention (DESIGN.md): VE coordinates x = x₀ + σ ε, and D(x; σ) = E[x₀ | x] (papers.md §0.1).
/// * `denoised`: D itself.
/// * `epsilon`: ε̂ = (x − D)/σ, so D = x − σ ε̂.
/// * `score`: s = ∇ log p_σ(x) = (D − x)/σ² (Tweedie), so D = x + σ² s.
/// * `velocity`: v-prediction (Salimans & Ho 2022), defined in the VP form of the same level,
///   x_vp = α x₀ + σ_vp ε with α = 1/√(1 + σ²), σ_vp = σ α: v = α ε − σ_vp x₀. Then
///   D = α² x − σ α v and v = (α² x − D)/(σ α) (k-diffusion's `VDenoiser` with σ_data = 1).
/// The conversions to `denoised` need σ > 0 except for `denoised` and `velocity`; those from
/// `denoised` to the others divide by σ.
public enum PredictionTarget: String, Codable, CaseIterable, Sendable {
    case denoised
    case epsilon
    case score
    case velocity

    /// D(x; σ) from a model output of this kind.
    public func denoised<Scalar: MatrixScalar>(
        from output: Matrix<Scalar>, x: Matrix<Scalar>, sigma: Scalar
    ) -> Matrix<Scalar> {
        switch self {
        case .denoised: return output
        case .epsilon: return x.linearCombination(1, -sigma, output)
        case .score: return x.linearCombination(1, sigma * sigma, output)
        case .velocity:
            let alpha = VPNoiseLevel(veSigma: sigma).alpha
            return x.linearCombination(alpha * alpha, -sigma * alpha, output)
        }
    }

    /// The output of this kind that corresponds to the denoised estimate `d` (σ > 0).
    public func output<Scalar: MatrixScalar>(
        fromDenoised d: Matrix<Scalar>, x: Matrix<Scalar>, sigma: Scalar
    ) -> Matrix<Scalar> {
        switch self {
        case .denoised: return d
        case .epsilon: return x.linearCombination(1 / sigma, -1 / sigma, d)
        case .score: return d.linearCombination(1 / (sigma * sigma), -1 / (sigma * sigma), x)
        case .velocity:
            let alpha = VPNoiseLevel(veSigma: sigma).alpha
            return x.linearCombination(alpha / sigma, -1 / (sigma * alpha), d)
        }
    }
}
