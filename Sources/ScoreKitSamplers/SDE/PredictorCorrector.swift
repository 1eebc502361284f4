/// The predictor of a predictor–corrector sampler.
public enum PCPredictor: String, Codable, Sendable, CaseIterable {
    /// The reverse-diffusion SDE step (score_sde's `ReverseDiffusionPredictor`), as `sampleEulerMaruyama`.
    case reverseDiffusion = "reverse_diffusion"
    /// A deterministic Euler step of the probability-flow ODE, x + (σ_{i+1} − σ_i)(x − D)/σ_i.
    case euler
}

/// How the Langevin corrector's step size ε = 2(snr·‖z‖/‖s‖)² takes its norms.
public enum LangevinNormScope: String, Codable, Sendable, CaseIterable {
    /// ‖z_r‖ and ‖s_r‖ of each sample: a sample's path does not depend on the rest of the batch.
    /// The ratio concentrates in high dimension (images), but in a few dimensions a sample near a
    /// mode has a tiny ‖s_r‖ and takes a huge step: on 2-D Gaussian data (s² = 0.25, 25 Karras
    /// steps, 2 corrector steps) the samples' variance came out near 2 instead of 0.25, against
    /// 0.248 with `batchMean` and 0.26 per sample in 64-D. Use `batchMean` for low-dimensional data.
    case perSample = "per_sample"
    /// score_sde's `LangevinCorrector`: both norms averaged over the batch, one ε for all rows.
    case batchMean = "batch_mean"
}

public struct PredictorCorrectorOptions<Scalar: MatrixScalar>: Codable, Sendable, Equatable {
    public var predictor: PCPredictor
    /// Langevin steps at each level before its predictor step (score_sde's `n_steps`).
    public var correctorSteps: Int
    /// Target signal-to-noise ratio r of the corrector (score_sde's VE configs use 0.16).
    public var snr: Scalar
    public var normScope: LangevinNormScope

    public init(predictor: PCPredictor = .reverseDiffusion, correctorSteps: Int = 1, snr: Scalar = 0.16,
                normScope: LangevinNormScope = .perSample) {
        self.predictor = predictor
        self.correctorSteps = correctorSteps
        self.snr = snr
        self.normScope = normScope
    }
}

/// Predictor–corrector sampling of the reverse VE SDE (Song et al. 2021, Alg. 2 and 4), in
/// score_sde's order: at each level σ_i, `correctorSteps` Langevin steps with
/// ε = 2(snr·‖z‖/‖s(x, σ_i)‖)², then the predictor from σ_i to σ_{i+1}; the final predictor step to
/// σ = 0 returns D(x; σ_{N−1}) (score_sde's noise-free `x_mean`). The observer sees each step at
/// its predictor evaluation (the state after the corrector). NFE = N·(correctorSteps + 1); each
/// corrector draw is requested as (σ_i, σ_i), each reverse-diffusion draw as (σ_i, σ_{i+1}).
/// A sample whose score is exactly 0 gets ε = 0 (no move) instead of an infinite step.
public func samplePredictorCorrector<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
    options: PredictorCorrectorOptions<D.Scalar> = .init(), noise: inout some NoiseSource<D.Scalar>
) throws -> Matrix<D.Scalar> {
    typealias Scalar = D.Scalar
    try ScheduleChecks.zeroTerminated(sigmas, state: x, dimension: model.denoiser.dimension)
    guard options.correctorSteps >= 0, options.snr.isFinite, options.snr >= 0 else {
        throw SamplingError.invalidOption("pc needs correctorSteps ≥ 0 and a finite snr ≥ 0")
    }
    var x = x
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        for _ in 0..<options.correctorSteps {
            let denoised = try model(x, sigma)
            let z = try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigma)
            let score = denoised.linearCombination(1 / (sigma * sigma), -1 / (sigma * sigma), x)
            let eps = langevinStepSizes(snr: options.snr, score: score, noise: z, scope: options.normScope)
            x = langevinStep(x, denoised: denoised, sigma: sigma, stepSizes: eps, noise: z)
        }
        let denoised = try model(x, sigma)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        if sigmaNext == 0 {
            x = denoised
            continue
        }
        switch options.predictor {
        case .reverseDiffusion:
            let z = try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigmaNext)
            x = reverseDiffusionStep(x, denoised: denoised, sigma: sigma, sigmaNext: sigmaNext, noise: z)
        case .euler:
            x.axpy(sigmaNext - sigma, toD(x, sigma: sigma, denoised: denoised))
        }
    }
    return x
}

/// ε_r = 2(snr·‖z_r‖/‖s_r‖)² (Song et al. 2021, Alg. 4, with α = 1 for VE), per row or with
/// score_sde's batch-mean norms.
func langevinStepSizes<Scalar: MatrixScalar>(snr: Scalar, score: Matrix<Scalar>, noise: Matrix<Scalar>,
                                            scope: LangevinNormScope) -> [Scalar] {
    var scoreNorms = score.rowSquaredNorms().map { $0.squareRoot() }
    var noiseNorms = noise.rowSquaredNorms().map { $0.squareRoot() }
    if scope == .batchMean {
        let n = Scalar(score.rows)
        scoreNorms = Array(repeating: scoreNorms.reduce(0, +) / n, count: score.rows)
        noiseNorms = Array(repeating: noiseNorms.reduce(0, +) / n, count: score.rows)
    }
    return zip(noiseNorms, scoreNorms).map { z, s in
        guard s > 0 else { return 0 }
        let ratio = snr * z / s
        return 2 * ratio * ratio
    }
}
