/// The continuous variance-preserving process of Song et al. (2021), VP-SDE with the linear
/// β(t) = β_min + β_d t on t ∈ [0, 1]: x_t = α(t) x₀ + σ(t) ε with
/// α(t) = exp(−¼ β_d t² − ½ β_min t) and σ(t) = √(1 − α(t)²) (papers.md §0.4(a), VP version).
///
/// In VE coordinates (x_t/α, DESIGN.md's convention) its noise level is σ_VE(t) = σ(t)/α(t) =
/// √(exp(½ β_d t² + β_min t) − 1), which is what k-diffusion's `get_sigmas_vp` samples; EDM's
/// VP preconditioning labels the network with the inverse t(σ_VE).
public struct VPProcess<Scalar: MatrixScalar>: Codable, Equatable, Sendable {
    /// β_d, the extent of the linear β schedule (19.9 in score_sde / EDM).
    public let betaD: Scalar
    /// β_min = β(0) (0.1 in score_sde / EDM).
    public let betaMin: Scalar

    /// β_d and β_min must be finite and nonnegative, not both 0.
    public init(betaD: Scalar = 19.9, betaMin: Scalar = 0.1) throws(ScheduleError) {
        try ScheduleArguments.nonnegative("beta_d", Double(betaD))
        try ScheduleArguments.nonnegative("beta_min", Double(betaMin))
        guard betaD + betaMin > 0 else {
            throw .invalidParameter(name: "beta_d + beta_min", value: 0, requirement: "positive")
        }
        self.betaD = betaD
        self.betaMin = betaMin
    }

    /// Decodes β_d and β_min and validates them like `init(betaD:betaMin:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(betaD: container.decode(Scalar.self, forKey: .betaD),
                      betaMin: container.decode(Scalar.self, forKey: .betaMin))
    }

    /// β(t) = β_min + β_d t.
    public func beta(_ t: Scalar) -> Scalar { betaMin + betaD * t }

    /// ∫₀ᵗ β = ½ β_d t² + β_min t, so that α(t)² = exp(−∫β).
    public func integratedBeta(_ t: Scalar) -> Scalar { betaD * t * t / 2 + betaMin * t }

    /// α(t), the scale of the data in x_t.
    public func alpha(_ t: Scalar) -> Scalar { Scalar.exp(-integratedBeta(t) / 2) }

    /// σ(t) = √(1 − α²), the noise standard deviation in VP coordinates (via expm1 for small t).
    public func sigma(_ t: Scalar) -> Scalar { (-Scalar.expMinusOne(-integratedBeta(t))).squareRoot() }

    /// σ_VE(t) = σ(t)/α(t) = √(exp(∫β) − 1), the noise level in VE coordinates.
    public func veSigma(_ t: Scalar) -> Scalar { Scalar.expMinusOne(integratedBeta(t)).squareRoot() }

    /// The t with σ_VE(t) = σ: solves ½ β_d t² + β_min t = ln(1 + σ²) (EDM's `sigma_inv`).
    public func time(forVESigma sigma: Scalar) -> Scalar {
        Self.time(forVESigma: sigma, betaD: betaD, betaMin: betaMin)
    }

    static func time(forVESigma sigma: Scalar, betaD: Scalar, betaMin: Scalar) -> Scalar {
        let target = Scalar.log(onePlus: sigma * sigma)
        guard betaD > 0 else { return target / betaMin }
        return ((betaMin * betaMin + 2 * betaD * target).squareRoot() - betaMin) / betaD
    }

    /// The (α, σ) pair at time t.
    public func noiseLevel(at t: Scalar) -> VPNoiseLevel<Scalar> { VPNoiseLevel(alpha: alpha(t), sigma: sigma(t)) }
}
