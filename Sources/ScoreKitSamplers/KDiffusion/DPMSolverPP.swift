/// DPM-Solver++ samplers in data prediction (Lu et al. 2022b): k-diffusion `sample_dpmpp_2s_ancestral`,
/// `sample_dpmpp_sde` and `sample_dpmpp_2m`. Time is λ = −log σ; h = λᵢ₊₁ − λᵢ.

/// Ancestral DPM-Solver++(2S) (Lu et al. 2022b, Alg. 1 with r = ½; k-diffusion η 1, s_noise 1): a
/// single-step second-order step to σ_down with its midpoint evaluation at √(σᵢ σ_down), then noise of
/// size σ_up drawn as `noise(σᵢ, σᵢ₊₁)` when σᵢ₊₁ > 0 (also when η = 0, as in k-diffusion).
/// When σ_down = 0 it is an Euler step. 2N − 1 evaluations.
public func sampleDPMpp2SAncestral<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                                sigmas: [D.Scalar], eta: D.Scalar = 1, sNoise: D.Scalar = 1,
                                                noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try ancestralSteps(model, from: start, sigmas: sigmas, eta: eta, sNoise: sNoise, noise: &noise,
                       draw: .whileNextSigmaPositive) { x, s, down, d in
        guard down > 0 else { return eulerStep(x, sigma: s, sigmaNext: down, denoised: d) }
        let sigmaMid = logInterpolatedSigma(s, down, fraction: 1 / 2)
        let xMid = dpmSolverPPUpdate(x, sigma: s, sigmaNext: sigmaMid, denoised: d)
        return dpmSolverPPUpdate(x, sigma: s, sigmaNext: down, denoised: try model(xMid, sigmaMid))
    }
}

/// Stochastic DPM-Solver++ (k-diffusion `sample_dpmpp_sde`, η 1, s_noise 1, r ½): two ancestral
/// first-order sub-steps per step — to s = λᵢ + r h (evaluation there), then to λᵢ₊₁ with
/// D′ = (1 − 1/(2r)) D + 1/(2r) D(s). Each step draws twice, in this order: `noise(σᵢ, σ_s)` and
/// `noise(σᵢ, σᵢ₊₁)` (also when η = 0, as in k-diffusion). The step to σ = 0 is an Euler step.
/// 2N − 1 evaluations.
public func sampleDPMppSDE<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                        sigmas: [D.Scalar], eta: D.Scalar = 1, sNoise: D.Scalar = 1,
                                        r: D.Scalar = 1 / 2,
                                        noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    try validateNoiseScales(eta: eta, sNoise: sNoise)
    guard r > 0, r <= 1 else { throw SamplingError.invalidOption("dpmpp_sde needs 0 < r ≤ 1, got \(r)") }
    let fac = 1 / (2 * r)
    var x = start
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        let denoised = try model(x, sigma)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        if sigmaNext == 0 {
            x = eulerStep(x, sigma: sigma, sigmaNext: sigmaNext, denoised: denoised)
            continue
        }
        let sigmaS = logInterpolatedSigma(sigma, sigmaNext, fraction: r)
        // Sub-step 1: ancestral first-order step to σ_s.
        let (downS, upS) = ancestralStep(from: sigma, to: sigmaS, eta: eta)
        var xS = dpmSolverPPUpdate(x, sigma: sigma, sigmaNext: downS, denoised: denoised)
        xS.axpy(sNoise * upS, try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigmaS))
        let denoisedS = try model(xS, sigmaS)
        // Sub-step 2: ancestral step to σᵢ₊₁ with the combined denoiser.
        let (down, up) = ancestralStep(from: sigma, to: sigmaNext, eta: eta)
        let combined = denoised.linearCombination(1 - fac, fac, denoisedS)
        x = dpmSolverPPUpdate(x, sigma: sigma, sigmaNext: down, denoised: combined)
        x.axpy(sNoise * up, try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigmaNext))
    }
    return x
}

/// DPM-Solver++(2M) (Lu et al. 2022b, Alg. 2; k-diffusion `sample_dpmpp_2m`, no options): the
/// first-order update with D′ = (1 + 1/(2r)) Dᵢ − 1/(2r) Dᵢ₋₁, r = hᵢ₋₁/hᵢ; first order on the
/// first step and on the step to σ = 0 (which gives D exactly). N evaluations.
public func sampleDPMpp2M<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                       sigmas: [D.Scalar]) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    var x = start
    var previous: Matrix<D.Scalar>?
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        let denoised = try model(x, sigma)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        var extrapolated = denoised
        if let previous, sigmaNext > 0 {
            let h = D.Scalar.log(sigma) - D.Scalar.log(sigmaNext)
            let hLast = D.Scalar.log(sigmas[i - 1]) - D.Scalar.log(sigma)
            let w = 1 / (2 * (hLast / h))
            extrapolated = denoised.linearCombination(1 + w, -w, previous)
        }
        x = dpmSolverPPUpdate(x, sigma: sigma, sigmaNext: sigmaNext, denoised: extrapolated)
        previous = denoised
    }
    return x
}
