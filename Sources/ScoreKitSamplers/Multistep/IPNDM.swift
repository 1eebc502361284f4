/// Improved PNDM (iPNDM; Zhang & Chen 2023, the DEIS paper; the diff-solvers / GITS
/// `ipndm_sampler`): Adams–Bashforth on the slope dx/dσ = (x − D)/σ with the fixed
/// equal-step coefficients of order p and the lower orders while the history fills up.
///
/// The step to σ = 0 returns D (diff-solvers' `denoise_to_zero`), so a schedule of N steps costs
/// N evaluations. Order 1 is Euler's method.
public func sampleIPNDM<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar], order: Int = 4
) throws -> Matrix<D.Scalar> {
    typealias Scalar = D.Scalar
    try ExponentialIntegrator.validate(sigmas)
    guard (1...4).contains(order) else {
        throw SamplingError.invalidOption("iPNDM order must be between 1 and 4, got \(order)")
    }
    var x = x
    var slopes: [Matrix<Scalar>] = []  // d_{i−p+1}, …, d_i
    for i in 0..<(sigmas.count - 1) {
        let denoised = try model(x, sigmas[i])
        model.observe(step: i, sigma: sigmas[i], sigmaHat: sigmas[i], x: x, denoised: denoised)
        if sigmas[i + 1] == 0 { return denoised }
        slopes.append(toD(x, sigma: sigmas[i], denoised: denoised))
        if slopes.count > order { slopes.removeFirst() }
        let weights = adamsBashforthWeights[slopes.count - 1]
        let dt = sigmas[i + 1] - sigmas[i]
        for (w, d) in zip(weights, slopes.reversed()) { x.axpy(dt * Scalar(w), d) }
    }
    return x
}

/// Adams–Bashforth weights of orders 1–4 for (d_i, d_{i−1}, d_{i−2}, d_{i−3}).
private let adamsBashforthWeights: [[Double]] = [
    [1],
    [3.0 / 2, -1.0 / 2],
    [23.0 / 12, -16.0 / 12, 5.0 / 12],
    [55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24],
]
