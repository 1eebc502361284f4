/// The k-diffusion 0.1.1 samplers by name, with one entry point that runs any of them.
public enum KDiffusionSampler: String, CaseIterable, Codable, Sendable {
    case euler
    case eulerAncestral = "euler_ancestral"
    case heun
    case dpm2 = "dpm_2"
    case dpm2Ancestral = "dpm_2_ancestral"
    case lms
    case dpmpp2SAncestral = "dpmpp_2s_ancestral"
    case dpmppSDE = "dpmpp_sde"
    case dpmpp2M = "dpmpp_2m"
    case dpmpp2MSDE = "dpmpp_2m_sde"
    case dpmpp3MSDE = "dpmpp_3m_sde"

    /// Denoiser evaluations for `steps` steps of a schedule ending in 0 (anchors §2.3): two per step
    /// except the last for the two-stage samplers (for `dpm_2_ancestral`, when η ≤ 1).
    public func functionEvaluations(steps: Int) -> Int {
        switch self {
        case .euler, .eulerAncestral, .lms, .dpmpp2M, .dpmpp2MSDE, .dpmpp3MSDE: return steps
        case .heun, .dpm2, .dpm2Ancestral, .dpmpp2SAncestral, .dpmppSDE: return max(0, 2 * steps - 1)
        }
    }

    /// Runs the sampler from `x` (already scaled by σ₀) along `sigmas` with k-diffusion's options.
    ///
    /// `noise` is used exactly where k-diffusion draws: every step of `euler`/`heun`/`dpm_2` when
    /// churn is on (with churn off they draw nothing: k-diffusion's draws are then discarded), the
    /// ancestral and `dpmpp_sde` draws also when η = 0, and `dpmpp_2m_sde`/`dpmpp_3m_sde` only when
    /// η ≠ 0. `lms` and `dpmpp_2m` never draw.
    public func sample<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    options: KDiffusionOptions<D.Scalar> = .init(),
                                    noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
        let o = options
        switch self {
        case .euler:
            return o.churn.isActive
                ? try sampleEuler(model, from: x, sigmas: sigmas, churn: o.churn, noise: &noise)
                : try sampleEuler(model, from: x, sigmas: sigmas)
        case .heun:
            return o.churn.isActive
                ? try sampleHeun(model, from: x, sigmas: sigmas, churn: o.churn, noise: &noise)
                : try sampleHeun(model, from: x, sigmas: sigmas)
        case .dpm2:
            return o.churn.isActive
                ? try sampleDPM2(model, from: x, sigmas: sigmas, churn: o.churn, noise: &noise)
                : try sampleDPM2(model, from: x, sigmas: sigmas)
        case .eulerAncestral:
            return try sampleEulerAncestral(model, from: x, sigmas: sigmas, eta: o.eta, sNoise: o.sNoise, noise: &noise)
        case .dpm2Ancestral:
            return try sampleDPM2Ancestral(model, from: x, sigmas: sigmas, eta: o.eta, sNoise: o.sNoise, noise: &noise)
        case .lms:
            return try sampleLMS(model, from: x, sigmas: sigmas, order: o.lmsOrder)
        case .dpmpp2SAncestral:
            return try sampleDPMpp2SAncestral(model, from: x, sigmas: sigmas, eta: o.eta, sNoise: o.sNoise, noise: &noise)
        case .dpmppSDE:
            return try sampleDPMppSDE(model, from: x, sigmas: sigmas, eta: o.eta, sNoise: o.sNoise, r: o.r, noise: &noise)
        case .dpmpp2M:
            return try sampleDPMpp2M(model, from: x, sigmas: sigmas)
        case .dpmpp2MSDE:
            return try sampleDPMpp2MSDE(model, from: x, sigmas: sigmas, eta: o.eta, sNoise: o.sNoise,
                                        solverType: o.solverType, noise: &noise)
        case .dpmpp3MSDE:
            return try sampleDPMpp3MSDE(model, from: x, sigmas: sigmas, eta: o.eta, sNoise: o.sNoise, noise: &noise)
        }
    }
}

/// k-diffusion's sampler keyword arguments, with its defaults; each sampler reads the ones it has
/// (CLI: `--eta --s-noise --s-churn --s-tmin --s-tmax --solver-type --lms-order`).
public struct KDiffusionOptions<Scalar: MatrixScalar>: Codable, Sendable, Equatable {
    /// η of the ancestral and SDE samplers (`*_ancestral`, `dpmpp_sde`, `dpmpp_2m_sde`, `dpmpp_3m_sde`).
    public var eta: Scalar
    /// s_noise of those samplers: the scale of their fresh noise.
    public var sNoise: Scalar
    /// Churn of `euler`, `heun` and `dpm_2` (it has its own s_noise).
    public var churn: Churn<Scalar>
    /// `dpmpp_2m_sde`'s second-order correction.
    public var solverType: SDESolverType
    /// `lms`'s order.
    public var lmsOrder: Int
    /// `dpmpp_sde`'s intermediate point, as a fraction of the step in log σ.
    public var r: Scalar

    public init(eta: Scalar = 1, sNoise: Scalar = 1, churn: Churn<Scalar> = .none,
                solverType: SDESolverType = .midpoint, lmsOrder: Int = 4, r: Scalar = 1 / 2) {
        self.eta = eta
        self.sNoise = sNoise
        self.churn = churn
        self.solverType = solverType
        self.lmsOrder = lmsOrder
        self.r = r
    }
}
