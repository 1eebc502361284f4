/// DPM-Solver-2 samplers: k-diffusion `sample_dpm_2` and `sample_dpm_2_ancestral`.

/// DPM-2 steps (Lu et al. 2022, DPM-Solver-2 in the form of Karras et al. 2022, Alg. 2): a half step
/// in log σ to σ_mid = √(σ̂ σᵢ₊₁), a second evaluation there, and the full step from x with the
/// midpoint slope; the step to σ = 0 is an Euler step. 2N − 1 evaluations.
public func sampleDPM2<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>,
                                    sigmas: [D.Scalar]) throws -> Matrix<D.Scalar> {
    var noNoise = NoNoise<D.Scalar>()
    return try churnedSteps(model, from: x, sigmas: sigmas, churn: nil, noise: &noNoise) { x, s, next, d in
        try dpm2Step(model, x, sigma: s, sigmaNext: next, denoised: d)
    }
}

/// DPM-2 steps with churn: like k-diffusion, one standard-normal draw per step, also where γ = 0.
public func sampleDPM2<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    churn: Churn<D.Scalar>,
                                    noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try churnedSteps(model, from: x, sigmas: sigmas, churn: churn, noise: &noise) { x, s, next, d in
        try dpm2Step(model, x, sigma: s, sigmaNext: next, denoised: d)
    }
}

/// One DPM-Solver-2 step from σ to σ′ given D(x; σ); an Euler step when σ′ = 0 (no log 0).
private func dpm2Step<D: Denoiser>(_ model: SamplingModel<D>, _ x: Matrix<D.Scalar>, sigma: D.Scalar,
                                   sigmaNext: D.Scalar, denoised: Matrix<D.Scalar>) throws -> Matrix<D.Scalar> {
    if sigmaNext == 0 { return eulerStep(x, sigma: sigma, sigmaNext: sigmaNext, denoised: denoised) }
    let sigmaMid = logInterpolatedSigma(sigma, sigmaNext, fraction: 1 / 2)
    let xMid = eulerStep(x, sigma: sigma, sigmaNext: sigmaMid, denoised: denoised)
    let dMid = toD(xMid, sigma: sigmaMid, denoised: try model(xMid, sigmaMid))
    var next = x
    next.axpy(sigmaNext - sigma, dMid)
    return next
}

/// Ancestral DPM-2 (k-diffusion `sample_dpm_2_ancestral`, η 1, s_noise 1): a DPM-2 step to σ_down,
/// then noise of size σ_up drawn as `noise(σᵢ, σᵢ₊₁)`; when σ_down = 0 an Euler step and no draw.
public func sampleDPM2Ancestral<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                             sigmas: [D.Scalar], eta: D.Scalar = 1, sNoise: D.Scalar = 1,
                                             noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try ancestralSteps(model, from: start, sigmas: sigmas, eta: eta, sNoise: sNoise, noise: &noise,
                       draw: .whileDownSigmaPositive) { x, s, down, d in
        try dpm2Step(model, x, sigma: s, sigmaNext: down, denoised: d)
    }
}
