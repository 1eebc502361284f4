/// Karras et al. (2022) "churn" (Alg. 2, lines 4–6): before the step at σᵢ, raise the noise level to
/// σ̂ = σᵢ(1 + γ) with fresh noise, γ = min(S_churn/N, √2 − 1) when S_tmin ≤ σᵢ ≤ S_tmax, else 0.
/// k-diffusion's `s_churn`, `s_tmin`, `s_tmax`, `s_noise` for `euler`, `heun` and `dpm_2`.
public struct Churn<Scalar: MatrixScalar>: Sendable, Equatable {
    public var sChurn: Scalar
    public var sTmin: Scalar
    /// ∞ (k-diffusion's default) means no upper limit.
    public var sTmax: Scalar
    public var sNoise: Scalar

    public init(sChurn: Scalar = 0, sTmin: Scalar = 0, sTmax: Scalar = .infinity, sNoise: Scalar = 1) {
        self.sChurn = sChurn
        self.sTmin = sTmin
        self.sTmax = sTmax
        self.sNoise = sNoise
    }

    /// No churn: the ODE samplers.
    public static var none: Churn { Churn() }

    /// Churn adds noise on some step only when S_churn > 0.
    public var isActive: Bool { sChurn > 0 }

    /// γ of the step at σ in a schedule of `steps` steps.
    public func gamma(sigma: Scalar, steps: Int) -> Scalar {
        guard sTmin <= sigma, sigma <= sTmax else { return 0 }
        return min(sChurn / Scalar(steps), Scalar(2).squareRoot() - 1)
    }

    func validate() throws {
        guard sChurn >= 0, sChurn.isFinite else { throw SamplingError.invalidOption("s_churn must be finite and ≥ 0, got \(sChurn)") }
        guard sNoise >= 0, sNoise.isFinite else { throw SamplingError.invalidOption("s_noise must be finite and ≥ 0, got \(sNoise)") }
        guard !sTmin.isNaN, !sTmax.isNaN, sTmin <= sTmax else {
            throw SamplingError.invalidOption("need s_tmin ≤ s_tmax, got \(sTmin) and \(sTmax)")
        }
    }

    /// The churned start of step `i`: (x̂, σ̂) with x̂ = x + S_noise √(σ̂² − σᵢ²) ε.
    /// Like k-diffusion it draws ε on every step, even when γ = 0 and ε is not used, so that a
    /// stream of draws stays aligned with the reference; the draw is labelled with the step's interval.
    func apply(to x: Matrix<Scalar>, step i: Int, sigmas: [Scalar],
               noise: inout some NoiseSource<Scalar>) throws -> (x: Matrix<Scalar>, sigmaHat: Scalar) {
        let sigma = sigmas[i]
        let gamma = gamma(sigma: sigma, steps: sigmas.count - 1)
        let eps = try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigmas[i + 1])
        let sigmaHat = sigma * (gamma + 1)
        guard gamma > 0 else { return (x, sigmaHat) }
        var churned = x
        churned.axpy(sNoise * (sigmaHat * sigmaHat - sigma * sigma).squareRoot(), eps)
        return (churned, sigmaHat)
    }
}

/// Missing keys decode to k-diffusion's defaults; an infinite `sTmax` is left out (JSON has no ∞).
extension Churn: Codable {
    private enum CodingKeys: String, CodingKey { case sChurn, sTmin, sTmax, sNoise }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(sChurn: try c.decodeIfPresent(Scalar.self, forKey: .sChurn) ?? 0,
                  sTmin: try c.decodeIfPresent(Scalar.self, forKey: .sTmin) ?? 0,
                  sTmax: try c.decodeIfPresent(Scalar.self, forKey: .sTmax) ?? .infinity,
                  sNoise: try c.decodeIfPresent(Scalar.self, forKey: .sNoise) ?? 1)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sChurn, forKey: .sChurn)
        try c.encode(sTmin, forKey: .sTmin)
        try c.encodeIfPresent(sTmax.isFinite ? sTmax : nil, forKey: .sTmax)
        try c.encode(sNoise, forKey: .sNoise)
    }
}

/// The step loop shared by the churned samplers (Karras et al. 2022, Alg. 2): churn x to σ̂, evaluate
/// D(x; σ̂), report the step, then `update` moves x from σ̂ to σᵢ₊₁. With `churn == nil` nothing is
/// drawn and σ̂ = σᵢ. The samplers differ only in `update` (Euler, Heun, DPM-2).
func churnedSteps<D: Denoiser>(
    _ model: SamplingModel<D>, from start: Matrix<D.Scalar>, sigmas: [D.Scalar], churn: Churn<D.Scalar>?,
    noise: inout some NoiseSource<D.Scalar>,
    update: (_ x: Matrix<D.Scalar>, _ sigmaHat: D.Scalar, _ sigmaNext: D.Scalar, _ denoised: Matrix<D.Scalar>) throws
        -> Matrix<D.Scalar>
) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    if let churn { try churn.validate() }
    var x = start
    for i in 0..<(sigmas.count - 1) {
        var sigmaHat = sigmas[i]
        if let churn { (x, sigmaHat) = try churn.apply(to: x, step: i, sigmas: sigmas, noise: &noise) }
        let denoised = try model(x, sigmaHat)
        model.observe(step: i, sigma: sigmas[i], sigmaHat: sigmaHat, x: x, denoised: denoised)
        x = try update(x, sigmaHat, sigmas[i + 1], denoised)
    }
    return x
}
