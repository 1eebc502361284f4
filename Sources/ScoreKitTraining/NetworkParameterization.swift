/// How a network's raw output F becomes a denoiser, per noise level σ:
/// D(x; σ) = c_skip x + c_out F(c_in x; c_noise) (Karras et al. 2022, eq. 7), with
///
/// * `preconditioned(p)`: the scalings of `Preconditioning` (EDM, VP, VE, ε-prediction, v-prediction);
/// * `multiplicative`: NCSNv2's s(x, σ) = f(x)/σ (papers.md §1.1): the network has **no** noise input,
///   and D = x + σ f(x) (c_skip = 1, c_out = σ, c_in = 1), the sign of `MultiplicativeNoiseConditioning`
///   (f ≈ σ ∇log p_σ = −E[ε | x]);
/// * `denoised`: x₀-prediction, D = F(x; ¼ ln σ) (c_skip = 0, c_out = 1, c_in = 1).
public enum NetworkParameterization: Codable, Equatable, Sendable {
    case preconditioned(Preconditioning)
    case multiplicative
    case denoised

    /// The scalings of one row.
    public struct Scalings<Scalar: MatrixScalar>: Equatable, Sendable {
        public let skip: Scalar
        public let output: Scalar
        public let input: Scalar
        /// c_noise, the label the network sees (unused by `multiplicative`).
        public let noiseLabel: Scalar
    }

    /// Whether the network must take a noise label (all but `multiplicative`).
    public var needsNoiseInput: Bool { self != .multiplicative }

    /// Checks the wrapped preconditioning's parameters.
    public func validate() throws(TrainingError) {
        guard case .preconditioned(let p) = self else { return }
        do { try p.validate() } catch { throw .invalidConfiguration(error.description) }
    }

    /// Throws unless the network has a noise input exactly when this parameterization needs one.
    public func check(_ network: MLPDenoiserNetConfiguration) throws(TrainingError) {
        guard (network.noiseInput != .none) != needsNoiseInput else { return }
        throw .invalidConfiguration(needsNoiseInput
            ? "this parameterization needs a network with a noise input"
            : "multiplicative (NCSN) conditioning needs a network without noise input")
    }

    /// c_skip, c_out, c_in, c_noise at σ > 0.
    public func scalings<Scalar: MatrixScalar>(sigma: Scalar) -> Scalings<Scalar> {
        switch self {
        case .preconditioned(let p):
            let c: PreconditioningCoefficients<Scalar> = p.coefficients(sigma: sigma)
            return Scalings(skip: c.cSkip, output: c.cOut, input: c.cIn, noiseLabel: c.cNoise)
        case .multiplicative:
            return Scalings(skip: 1, output: sigma, input: 1, noiseLabel: 0)
        case .denoised:
            return Scalings(skip: 0, output: 1, input: 1, noiseLabel: Scalar.log(sigma) / 4)
        }
    }
}
