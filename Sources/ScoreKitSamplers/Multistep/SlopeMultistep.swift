/// The loop of the explicit multistep methods on the VE slope ε̂ = dx/dσ = (x − D)/σ (iPNDM,
/// tAB-DEIS): keep the last `order` slopes, warm up with the lower orders while the history fills,
/// and return D on the step to σ = 0 (diff-solvers' `denoise_to_zero`), so N steps cost N
/// evaluations. `weights(i, p)` gives the step's coefficients for ε̂_i, ε̂_{i−1}, …, ε̂_{i−p+1}
/// (the step size included); the methods differ only there.
func slopeMultistep<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar], order: Int, name: String,
    weights: (_ step: Int, _ historyCount: Int) -> [D.Scalar]
) throws -> Matrix<D.Scalar> {
    try ExponentialIntegrator.validate(sigmas)
    guard (1...4).contains(order) else {
        throw SamplingError.invalidOption("\(name) order must be between 1 and 4, got \(order)")
    }
    var x = x
    var slopes: [Matrix<D.Scalar>] = []  // ε̂_{i−p+1}, …, ε̂_i
    for i in 0..<(sigmas.count - 1) {
        let denoised = try model(x, sigmas[i])
        model.observe(step: i, sigma: sigmas[i], sigmaHat: sigmas[i], x: x, denoised: denoised)
        if sigmas[i + 1] == 0 { return denoised }
        slopes.append(toD(x, sigma: sigmas[i], denoised: denoised))
        if slopes.count > order { slopes.removeFirst() }
        for (w, slope) in zip(weights(i, slopes.count), slopes.reversed()) { x.axpy(w, slope) }
    }
    return x
}
