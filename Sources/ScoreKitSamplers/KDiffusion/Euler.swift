/// Euler samplers: k-diffusion `sample_euler` and `sample_euler_ancestral`.

/// Euler steps on the probability-flow ODE (Karras et al. 2022, Alg. 2 without the Heun correction):
/// x ← x + (σᵢ₊₁ − σᵢ)(x − D(x; σᵢ))/σᵢ. N evaluations; the step to σ = 0 gives D.
public func sampleEuler<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>,
                                     sigmas: [D.Scalar]) throws -> Matrix<D.Scalar> {
    var noNoise = NoNoise<D.Scalar>()
    return try churnedSteps(model, from: x, sigmas: sigmas, churn: nil, noise: &noNoise) { x, s, next, d in
        eulerStep(x, sigma: s, sigmaNext: next, denoised: d)
    }
}

/// Euler steps with churn (Karras et al. 2022, Alg. 2 without the Heun correction): like
/// k-diffusion, one standard-normal draw per step, also on steps where γ = 0.
public func sampleEuler<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                     churn: Churn<D.Scalar>,
                                     noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try churnedSteps(model, from: x, sigmas: sigmas, churn: churn, noise: &noise) { x, s, next, d in
        eulerStep(x, sigma: s, sigmaNext: next, denoised: d)
    }
}

/// Ancestral Euler (k-diffusion `sample_euler_ancestral`, η 1, s_noise 1): an Euler step to σ_down,
/// then fresh noise of size σ_up (`ancestralStep`), drawn as `noise(σᵢ, σᵢ₊₁)` only when σᵢ₊₁ > 0.
public func sampleEulerAncestral<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                              sigmas: [D.Scalar], eta: D.Scalar = 1, sNoise: D.Scalar = 1,
                                              noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try ancestralSteps(model, from: start, sigmas: sigmas, eta: eta, sNoise: sNoise, noise: &noise,
                       draw: .whileNextSigmaPositive) { x, s, down, d in
        eulerStep(x, sigma: s, sigmaNext: down, denoised: d)
    }
}
