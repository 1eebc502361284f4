/// k-diffusion 0.1.1's `get_sigmas_*` (k_diffusion/sampling.py), with torch's float64 arithmetic
/// (`TorchCPUKernels`): the same operations in the same order, so Karras schedules agree bit for
/// bit and the `exp`-based ones to one ulp (torch takes exp from MKL). Each returns `steps`
/// positive σ, plus a final 0 when `appendZero` (k-diffusion always appends it).
extension Schedule {
    /// Karras et al. (2022, eq. 5): σ_i = (σ_max^{1/ρ} + r_i (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ with
    /// r = linspace(0, 1, n). σ_0 = σ_max^{1/ρ·ρ} and σ_{n−1} = σ_min up to rounding (0.002..80,
    /// ρ = 7 ends at 0.002000000000000003). One step gives [σ_max, 0].
    public static func karras(
        steps: Int, sigmaMin: Double, sigmaMax: Double, rho: Double = 7, appendZero: Bool = true,
        kernels: TorchCPUKernels = .avx512
    ) throws(ScheduleError) -> Schedule {
        try ScheduleArguments.check(steps: steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax)
        try ScheduleArguments.positive("rho", rho)
        let ramp = TorchCPUKernels.linspace(0, 1, steps)
        return try rounding(karrasPower(ramp, sigmaMin, sigmaMax, rho, kernels), appendZero: appendZero)
    }

    /// Uniform in log σ: σ_i = exp(linspace(ln σ_max, ln σ_min, n)_i) (EDM's "ve" discretisation,
    /// NCSN's geometric levels).
    public static func exponential(
        steps: Int, sigmaMin: Double, sigmaMax: Double, appendZero: Bool = true
    ) throws(ScheduleError) -> Schedule {
        try ScheduleArguments.check(steps: steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax)
        let logSigmas = TorchCPUKernels.linspace(Double.log(sigmaMax), Double.log(sigmaMin), steps)
        return try rounding(logSigmas.map { Double.exp($0) }, appendZero: appendZero)
    }

    /// Polynomial in log σ: ln σ_i = r_i^ρ (ln σ_max − ln σ_min) + ln σ_min with
    /// r = linspace(1, 0, n); ρ = 1 is `exponential`'s grid up to rounding.
    public static func polyexponential(
        steps: Int, sigmaMin: Double, sigmaMax: Double, rho: Double = 1, appendZero: Bool = true,
        kernels: TorchCPUKernels = .avx512
    ) throws(ScheduleError) -> Schedule {
        try ScheduleArguments.check(steps: steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax)
        try ScheduleArguments.positive("rho", rho)
        let ramp = kernels.pow(TorchCPUKernels.linspace(1, 0, steps), exponent: rho)
        let logMin = Double.log(sigmaMin)
        let logRange = Double.log(sigmaMax) - logMin
        return try rounding(ramp.map { Double.exp($0 * logRange + logMin) }, appendZero: appendZero)
    }

    /// The continuous VP-SDE (Song et al. 2021, linear β(t) = β_min + β_d t) in VE σ:
    /// σ(t) = √(exp(½ β_d t² + β_min t) − 1) at t = linspace(1, ε_s, n). With the defaults,
    /// σ(1) ≈ 152.17 and σ(10⁻³) ≈ 0.010486.
    public static func vp(
        steps: Int, betaD: Double = 19.9, betaMin: Double = 0.1, epsS: Double = 1e-3, appendZero: Bool = true
    ) throws(ScheduleError) -> Schedule {
        try ScheduleArguments.check(steps: steps)
        try ScheduleArguments.nonnegative("beta_d", betaD)
        try ScheduleArguments.nonnegative("beta_min", betaMin)
        try ScheduleArguments.positive("eps_s", epsS)
        let t = TorchCPUKernels.linspace(1, epsS, steps)
        let sigmas = t.map { t in (Double.exp(betaD * (t * t) / 2 + betaMin * t) - 1).squareRoot() }
        return try rounding(sigmas, appendZero: appendZero)
    }

    /// `(σ_max^{1/ρ} + r (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ` for each r, as Karras and EDM compute it:
    /// the 1/ρ-th roots by Python (libm), the final power by torch.
    static func karrasPower(
        _ ramp: [Double], _ sigmaMin: Double, _ sigmaMax: Double, _ rho: Double, _ kernels: TorchCPUKernels
    ) -> [Double] {
        let minInvRho = Double.pow(sigmaMin, 1 / rho)
        let maxInvRho = Double.pow(sigmaMax, 1 / rho)
        return kernels.pow(ramp.map { maxInvRho + $0 * (minInvRho - maxInvRho) }, exponent: rho)
    }
}

/// Argument checks shared by the schedule builders.
enum ScheduleArguments {
    static func check(steps: Int) throws(ScheduleError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
    }

    /// steps ≥ 1 and 0 < σ_min ≤ σ_max < ∞.
    static func check(steps: Int, sigmaMin: Double, sigmaMax: Double) throws(ScheduleError) {
        try check(steps: steps)
        try positive("sigma_min", sigmaMin)
        try positive("sigma_max", sigmaMax)
        guard sigmaMin <= sigmaMax else { throw .invalidRange(sigmaMin: sigmaMin, sigmaMax: sigmaMax) }
    }

    static func positive(_ name: String, _ value: Double) throws(ScheduleError) {
        guard value.isFinite, value > 0 else {
            throw .invalidParameter(name: name, value: value, requirement: "finite and positive")
        }
    }

    static func nonnegative(_ name: String, _ value: Double) throws(ScheduleError) {
        guard value.isFinite, value >= 0 else {
            throw .invalidParameter(name: name, value: value, requirement: "finite and nonnegative")
        }
    }
}
