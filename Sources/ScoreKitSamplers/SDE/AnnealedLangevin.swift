public struct AnnealedLangevinOptions<Scalar: MatrixScalar>: Codable, Sendable, Equatable {
    /// ε of α_i = ε·σ_i²/σ_L² (NCSNv2's `step_lr`; 6.2e-6 in its CIFAR-10 config).
    public var stepSize: Scalar
    /// Langevin steps T at each level (NCSNv2's `n_steps_each`).
    public var stepsPerLevel: Int
    /// Finish with x + σ_L²·s(x, σ_L) = D(x; σ_L) (NCSNv2's `denoise`).
    public var finalDenoise: Bool

    public init(stepSize: Scalar = 6.2e-6, stepsPerLevel: Int = 5, finalDenoise: Bool = true) {
        self.stepSize = stepSize
        self.stepsPerLevel = stepsPerLevel
        self.finalDenoise = finalDenoise
    }
}

/// Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1; NCSNv2's `anneal_Langevin_dynamics`):
/// for each level σ_i of a list without a trailing 0, T steps x ← x + α_i·s(x, σ_i) + √(2α_i)·z
/// with α_i = ε·σ_i²/σ_L², then optionally D(x; σ_L). The observer sees every Langevin step.
/// NFE = L·T (+ 1 for the final denoise); L·T draws, requested as (σ_i, σ_i).
public func sampleAnnealedLangevin<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
    options: AnnealedLangevinOptions<D.Scalar> = .init(), noise: inout some NoiseSource<D.Scalar>
) throws -> Matrix<D.Scalar> {
    try ScheduleChecks.noiseLevels(sigmas, state: x, dimension: model.denoiser.dimension)
    guard options.stepSize.isFinite, options.stepSize > 0, options.stepsPerLevel >= 1 else {
        throw SamplingError.invalidOption("ald needs a finite stepSize > 0 and stepsPerLevel ≥ 1")
    }
    let sigmaL = sigmas[sigmas.count - 1]
    var x = x
    var step = 0
    for sigma in sigmas {
        let alpha = options.stepSize * (sigma * sigma) / (sigmaL * sigmaL)
        let stepSizes = Array(repeating: alpha, count: x.rows)
        for _ in 0..<options.stepsPerLevel {
            let denoised = try model(x, sigma)
            model.observe(step: step, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
            let z = try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigma)
            x = langevinStep(x, denoised: denoised, sigma: sigma, stepSizes: stepSizes, noise: z)
            step += 1
        }
    }
    return options.finalDenoise ? try model(x, sigmaL) : x
}
