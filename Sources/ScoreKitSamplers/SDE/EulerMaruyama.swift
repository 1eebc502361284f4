/// Euler–Maruyama on the reverse-time VE SDE dx = −(dσ²/dt)∇log p_σ(x) dt + √(dσ²/dt) dw̄ (Song et
/// al. 2021, eq. 6), discretised on the schedule (score_sde's `ReverseDiffusionPredictor`):
/// x ← x + (σ_i² − σ_{i+1}²)·s(x, σ_i) + √(σ_i² − σ_{i+1}²)·z. The final step to σ = 0 returns
/// D(x; σ_{N−1}), the noise-free mean of that step. NFE = N; N − 1 draws, requested as (σ_i, σ_{i+1}).
public func sampleEulerMaruyama<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar], noise: inout some NoiseSource<D.Scalar>
) throws -> Matrix<D.Scalar> {
    try ScheduleChecks.zeroTerminated(sigmas, state: x, dimension: model.denoiser.dimension)
    var x = x
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        let denoised = try model(x, sigma)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        if sigmaNext == 0 {
            x = denoised
        } else {
            let z = try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigmaNext)
            x = reverseDiffusionStep(x, denoised: denoised, sigma: sigma, sigmaNext: sigmaNext, noise: z)
        }
    }
    return x
}
