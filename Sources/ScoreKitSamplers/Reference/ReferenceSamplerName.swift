/// The reference solvers and score-SDE samplers by name, with one entry point that runs any of them.
///
/// `rk4` and `rk45` integrate the probability-flow ODE (accuracy references for the fast
/// samplers); `euler_maruyama` and `pc` sample the reverse-time VE SDE of Song et al. (2021);
/// `ald` is NCSNv2's annealed Langevin dynamics (Song & Ermon 2019, 2020).
public enum ReferenceSamplerName: String, CaseIterable, Codable, Sendable {
    case rk4
    case rk45
    case eulerMaruyama = "euler_maruyama"
    case pc
    case ald

    /// Whether the sampler draws noise (and so needs a `NoiseSource` other than `NoNoise`).
    public var isStochastic: Bool {
        switch self {
        case .rk4, .rk45: return false
        case .eulerMaruyama, .pc, .ald: return true
        }
    }

    /// Runs the sampler from `x` (already scaled by σ₀) along a k-diffusion schedule. `ald` runs on
    /// the schedule's nonzero σ as NCSN's noise levels (a final 0 is dropped; `options.ald`
    /// decides the final denoise). Deterministic samplers never touch `noise`.
    public func sample<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    options: ReferenceSamplerOptions<D.Scalar> = .init(),
                                    noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
        switch self {
        case .rk4: return try sampleRK4(model, from: x, sigmas: sigmas)
        case .rk45: return try sampleRK45(model, from: x, sigmas: sigmas, options: options.rk45)
        case .eulerMaruyama: return try sampleEulerMaruyama(model, from: x, sigmas: sigmas, noise: &noise)
        case .pc: return try samplePredictorCorrector(model, from: x, sigmas: sigmas, options: options.pc, noise: &noise)
        case .ald:
            let levels = sigmas.last == 0 ? Array(sigmas.dropLast()) : sigmas
            return try sampleAnnealedLangevin(model, from: x, sigmas: levels, options: options.ald, noise: &noise)
        }
    }
}

/// The options of the reference samplers; each sampler reads its own.
public struct ReferenceSamplerOptions<Scalar: MatrixScalar>: Codable, Sendable, Equatable {
    public var rk45: DormandPrinceOptions<Scalar>
    public var pc: PredictorCorrectorOptions<Scalar>
    public var ald: AnnealedLangevinOptions<Scalar>

    public init(rk45: DormandPrinceOptions<Scalar> = .init(), pc: PredictorCorrectorOptions<Scalar> = .init(),
                ald: AnnealedLangevinOptions<Scalar> = .init()) {
        self.rk45 = rk45
        self.pc = pc
        self.ald = ald
    }
}
