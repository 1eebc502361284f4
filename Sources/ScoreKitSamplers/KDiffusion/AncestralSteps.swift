/// When an ancestral sampler draws its σ_up noise. k-diffusion's samplers differ here, and the
/// difference shows for η > 1, where σ_down can reach 0 before σᵢ₊₁ does.
enum AncestralNoiseDraw {
    /// Whenever σᵢ₊₁ > 0 (`sample_euler_ancestral`, `sample_dpmpp_2s_ancestral`).
    case whileNextSigmaPositive
    /// Only after a step that did not end at σ_down = 0 (`sample_dpm_2_ancestral`).
    case whileDownSigmaPositive

    func draws<Scalar: MatrixScalar>(sigmaNext: Scalar, sigmaDown: Scalar) -> Bool {
        switch self {
        case .whileNextSigmaPositive: sigmaNext > 0
        case .whileDownSigmaPositive: sigmaDown > 0
        }
    }
}

/// The step loop shared by the ancestral samplers (k-diffusion `get_ancestral_step`): evaluate
/// D(x; σᵢ), report the step, let `update` move x deterministically from σᵢ to σ_down, then add
/// s_noise·σ_up·z with z drawn as `noise(σᵢ, σᵢ₊₁)`. The samplers differ only in `update`.
func ancestralSteps<D: Denoiser>(
    _ model: SamplingModel<D>, from start: Matrix<D.Scalar>, sigmas: [D.Scalar], eta: D.Scalar, sNoise: D.Scalar,
    noise: inout some NoiseSource<D.Scalar>, draw: AncestralNoiseDraw,
    update: (_ x: Matrix<D.Scalar>, _ sigma: D.Scalar, _ sigmaDown: D.Scalar, _ denoised: Matrix<D.Scalar>) throws
        -> Matrix<D.Scalar>
) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    try validateNoiseScales(eta: eta, sNoise: sNoise)
    var x = start
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        let denoised = try model(x, sigma)
        let (sigmaDown, sigmaUp) = ancestralStep(from: sigma, to: sigmaNext, eta: eta)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        x = try update(x, sigma, sigmaDown, denoised)
        if draw.draws(sigmaNext: sigmaNext, sigmaDown: sigmaDown) {
            x.axpy(sNoise * sigmaUp, try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigmaNext))
        }
    }
    return x
}
