/// Heun's sampler: k-diffusion `sample_heun`.

/// Heun steps (Karras et al. 2022, Alg. 1): Euler predictor to σᵢ₊₁, second evaluation there and
/// the trapezoidal corrector; the step to σ = 0 is a plain Euler step. 2N − 1 evaluations.
public func sampleHeun<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>,
                                    sigmas: [D.Scalar]) throws -> Matrix<D.Scalar> {
    var noNoise = NoNoise<D.Scalar>()
    return try churnedSteps(model, from: x, sigmas: sigmas, churn: nil, noise: &noNoise) { x, s, next, d in
        try heunStep(model, x, sigma: s, sigmaNext: next, denoised: d)
    }
}

/// Heun steps with churn (Karras et al. 2022, Alg. 2): like k-diffusion, one standard-normal draw
/// per step, also on steps where γ = 0.
public func sampleHeun<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    churn: Churn<D.Scalar>,
                                    noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try churnedSteps(model, from: x, sigmas: sigmas, churn: churn, noise: &noise) { x, s, next, d in
        try heunStep(model, x, sigma: s, sigmaNext: next, denoised: d)
    }
}

/// One Heun step from σ̂ to σᵢ₊₁ given D(x; σ̂): Euler predictor, then the trapezoidal corrector
/// with a second evaluation at σᵢ₊₁ — skipped on the step to σ = 0.
private func heunStep<D: Denoiser>(_ model: SamplingModel<D>, _ x: Matrix<D.Scalar>, sigma sigmaHat: D.Scalar,
                                   sigmaNext: D.Scalar, denoised: Matrix<D.Scalar>) throws -> Matrix<D.Scalar> {
    let d = toD(x, sigma: sigmaHat, denoised: denoised)
    let dt = sigmaNext - sigmaHat
    var predictor = x
    predictor.axpy(dt, d)
    guard sigmaNext != 0 else { return predictor }
    let d2 = toD(predictor, sigma: sigmaNext, denoised: try model(predictor, sigmaNext))
    var out = x
    out.axpy(dt, (d + d2) / 2)
    return out
}
