/// Heun's sampler: k-diffusion `sample_heun`.

/// Heun steps (Karras et al. 2022, Alg. 1): Euler predictor to σᵢ₊₁, second evaluation there and
/// the trapezoidal corrector; the step to σ = 0 is a plain Euler step. 2N − 1 evaluations.
public func sampleHeun<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>,
                                    sigmas: [D.Scalar]) throws -> Matrix<D.Scalar> {
    var noNoise = NoNoise<D.Scalar>()
    return try heunSteps(model, from: x, sigmas: sigmas, churn: nil, noise: &noNoise)
}

/// Heun steps with churn (Karras et al. 2022, Alg. 2): like k-diffusion, one standard-normal draw
/// per step, also on steps where γ = 0.
public func sampleHeun<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    churn: Churn<D.Scalar>,
                                    noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try churn.validate()
    return try heunSteps(model, from: x, sigmas: sigmas, churn: churn, noise: &noise)
}

/// The loop of both `sampleHeun`s; `churn == nil` draws nothing.
private func heunSteps<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    churn: Churn<D.Scalar>?,
                                    noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    var x = start
    for i in 0..<(sigmas.count - 1) {
        var sigmaHat = sigmas[i]
        if let churn { (x, sigmaHat) = try churn.apply(to: x, step: i, sigmas: sigmas, noise: &noise) }
        let sigmaNext = sigmas[i + 1]
        let denoised = try model(x, sigmaHat)
        let d = toD(x, sigma: sigmaHat, denoised: denoised)
        model.observe(step: i, sigma: sigmas[i], sigmaHat: sigmaHat, x: x, denoised: denoised)
        let dt = sigmaNext - sigmaHat
        var predictor = x
        predictor.axpy(dt, d)
        if sigmaNext == 0 {
            x = predictor
        } else {
            let d2 = toD(predictor, sigma: sigmaNext, denoised: try model(predictor, sigmaNext))
            x.axpy(dt, (d + d2) / 2)
        }
    }
    return x
}
