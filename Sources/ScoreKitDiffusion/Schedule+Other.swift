/// Schedules of the other reference codebases, each with that codebase's own arithmetic.
extension Schedule {
    /// Song et al. (2021) VE-SDE: σ(t) = σ_min (σ_max/σ_min)^t at t = linspace(1, ε, n), as
    /// score_sde samples it (ε = 10⁻⁵ for VE) and the ring8 oracles compute it with torch.
    /// With ε > 0 the last σ lies slightly above σ_min.
    public static func veGeometric(
        steps: Int, sigmaMin: Double, sigmaMax: Double, tEpsilon: Double = 1e-5, appendZero: Bool = true,
        kernels: TorchCPUKernels = .avx512
    ) throws(ScheduleError) -> Schedule {
        try ScheduleArguments.check(steps: steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax)
        try ScheduleArguments.nonnegative("t_epsilon", tEpsilon)
        let t = TorchCPUKernels.linspace(1, tEpsilon, steps)
        let powers = kernels.pow(base: sigmaMax / sigmaMin, exponents: t)
        return try rounding(powers.map { sigmaMin * $0 }, appendZero: appendZero)
    }

    /// NVlabs/edm's `edm_sampler` time steps: the Karras formula with r_i = i/(n − 1) computed
    /// by division (EDM's float64 code) instead of torch.linspace, so values may differ from
    /// `karras` in the last bit. EDM has no one-step schedule (0/0); here n = 1 gives [σ_max, 0].
    public static func edm(
        steps: Int, sigmaMin: Double, sigmaMax: Double, rho: Double = 7, appendZero: Bool = true,
        kernels: TorchCPUKernels = .avx512
    ) throws(ScheduleError) -> Schedule {
        try ScheduleArguments.check(steps: steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax)
        try ScheduleArguments.positive("rho", rho)
        let ramp = (0..<steps).map { steps == 1 ? 0 : Double($0) / Double(steps - 1) }
        return try rounding(karrasPower(ramp, sigmaMin, sigmaMax, rho, kernels), appendZero: appendZero)
    }

    /// Uniform in log-SNR. For VE noise SNR = 1/σ² (and for VP, ᾱ/(1 − ᾱ) = 1/σ² in VE σ), so
    /// λ = −2 ln σ and a uniform grid in λ is exactly `exponential` (DPM-Solver's "logSNR").
    public static func logSNRUniform(
        steps: Int, sigmaMin: Double, sigmaMax: Double, appendZero: Bool = true
    ) throws(ScheduleError) -> Schedule {
        try exponential(steps: steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax, appendZero: appendZero)
    }

    /// NCSN / NCSNv2's noise levels (`get_sigmas`): `exp(np.linspace(ln σ_1, ln σ_L, L))`, with
    /// numpy's linspace (i·step + start, last element set to the end point). NCSN's list has no
    /// final 0 (annealed Langevin dynamics visits each level), hence `appendZero` defaults to false.
    public static func ncsnLevels(
        count: Int, sigmaBegin: Double, sigmaEnd: Double, appendZero: Bool = false
    ) throws(ScheduleError) -> Schedule {
        try ScheduleArguments.check(steps: count, sigmaMin: sigmaEnd, sigmaMax: sigmaBegin)
        let start = Double.log(sigmaBegin), stop = Double.log(sigmaEnd)
        let step = count > 1 ? (stop - start) / Double(count - 1) : 0
        let logSigmas = (0..<count).map { i in i == count - 1 && count > 1 ? stop : Double(i) * step + start }
        return try rounding(logSigmas.map { Double.exp($0) }, appendZero: appendZero)
    }
}
