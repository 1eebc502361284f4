/// The samplers of this folder under their command-line names (`scorekit sample --sampler NAME`).
public enum MultistepSamplerName: String, CaseIterable, Codable, Sendable {
    /// DPM-Solver-fast, k-diffusion's `sample_dpm_fast` (the step count is the NFE budget).
    case dpmFast = "dpm_fast"
    /// DPM-Solver-12/23 with PID step-size control, k-diffusion's `sample_dpm_adaptive`.
    case dpmAdaptive = "dpm_adaptive"
    /// UniPC (UniP predictor + UniC corrector), diffusers' `UniPCMultistepScheduler`.
    case unipc
    /// DPM-Solver++(3M), diffusers' `DPMSolverMultistepScheduler(solver_order=3)`.
    case dpmpp3M = "dpmpp_3m"
    /// Improved PNDM (Adams–Bashforth on dx/dσ, orders 1–4).
    case ipndm
    /// tAB-DEIS (polynomial extrapolation of ε̂ in VP time, orders 1–4).
    case deis
}

/// Every knob of the multistep samplers; each sampler reads the ones it has.
public struct MultistepOptions: Codable, Equatable, Sendable {
    /// Solver order; nil means the sampler's default (unipc 2, ipndm 4, deis 3, dpmpp_3m 3, dpm_adaptive 3).
    public var order: Int?
    public var unipcVariant: UniPCVariant
    public var corrector: Bool
    public var lowerOrderFinal: Bool
    /// dpm_fast's evaluation budget; nil means the number of nonzero σ in the schedule.
    public var nfe: Int?
    /// dpm_adaptive's controller (its `order` is replaced by `order` when that is set) and, for both
    /// DPM-Solver samplers, η and s_noise.
    public var adaptive: DPMAdaptiveOptions

    public init(order: Int? = nil, unipcVariant: UniPCVariant = .bh2, corrector: Bool = true,
                lowerOrderFinal: Bool = true, nfe: Int? = nil, adaptive: DPMAdaptiveOptions = .default) {
        self.order = order
        self.unipcVariant = unipcVariant
        self.corrector = corrector
        self.lowerOrderFinal = lowerOrderFinal
        self.nfe = nfe
        self.adaptive = adaptive
    }
}

/// Runs `name` on a k-diffusion schedule (descending σ, usually ending in 0).
///
/// `dpm_fast` and `dpm_adaptive` take a σ range, not a schedule: they run from σ_max = `sigmas[0]`
/// to σ_min = the smallest nonzero σ (k-diffusion's callers pass `sigmas[0]` and `sigmas[-2]`, e.g.
/// 0.002000000000000003 for a float64 Karras schedule), and `dpm_fast` spends `options.nfe` or
/// one evaluation per nonzero σ. They end at σ_min without denoising.
public func sampleMultistep<D: Denoiser>(
    _ name: MultistepSamplerName, _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
    options: MultistepOptions = MultistepOptions(), noise: inout some NoiseSource<D.Scalar>
) throws -> Matrix<D.Scalar> {
    switch name {
    case .unipc:
        return try sampleUniPC(model, from: x, sigmas: sigmas, options: UniPCOptions(
            order: options.order ?? 2, variant: options.unipcVariant, corrector: options.corrector,
            lowerOrderFinal: options.lowerOrderFinal))
    case .dpmpp3M:
        return try sampleDPMppMultistep(model, from: x, sigmas: sigmas, order: options.order ?? 3,
                                        lowerOrderFinal: options.lowerOrderFinal)
    case .ipndm:
        return try sampleIPNDM(model, from: x, sigmas: sigmas, order: options.order ?? 4)
    case .deis:
        return try sampleDEIS(model, from: x, sigmas: sigmas, order: options.order ?? 3)
    case .dpmFast, .dpmAdaptive:
        let nonzero = sigmas.filter { $0 > 0 }
        guard let sigmaMax = sigmas.first, let sigmaMin = nonzero.last else {
            throw SamplingError.invalidSchedule("\(name.rawValue) needs a schedule with a nonzero σ")
        }
        if name == .dpmFast {
            return try sampleDPMFast(model, from: x, sigmaMin: sigmaMin, sigmaMax: sigmaMax,
                                     nfe: options.nfe ?? nonzero.count, eta: D.Scalar(options.adaptive.eta),
                                     sNoise: D.Scalar(options.adaptive.sNoise), noise: &noise)
        }
        var adaptive = options.adaptive
        adaptive.order = options.order ?? adaptive.order
        return try sampleDPMAdaptive(model, from: x, sigmaMin: sigmaMin, sigmaMax: sigmaMax,
                                     options: adaptive, noise: &noise).x
    }
}
