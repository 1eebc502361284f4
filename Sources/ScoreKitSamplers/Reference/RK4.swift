/// Classic fourth-order Runge–Kutta on the probability-flow ODE dx/dσ = (x − D(x; σ))/σ
/// (Karras et al. 2022, §2, with σ(t) = t), one step per schedule interval; the final step to
/// σ = 0 returns D(x; σ_{N−1}), as every k-diffusion sampler does. NFE = 4(N − 1) + 1.
public func sampleRK4<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar]
) throws -> Matrix<D.Scalar> {
    try ScheduleChecks.zeroTerminated(sigmas, state: x, dimension: model.denoiser.dimension)
    func slope(_ x: Matrix<D.Scalar>, _ sigma: D.Scalar) throws -> Matrix<D.Scalar> {
        toD(x, sigma: sigma, denoised: try model(x, sigma))
    }
    var x = x
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        let denoised = try model(x, sigma)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        if sigmaNext == 0 {
            x = denoised
            continue
        }
        let h = sigmaNext - sigma
        let k1 = toD(x, sigma: sigma, denoised: denoised)
        let k2 = try slope(x.linearCombination(1, h / 2, k1), sigma + h / 2)
        let k3 = try slope(x.linearCombination(1, h / 2, k2), sigma + h / 2)
        let k4 = try slope(x.linearCombination(1, h, k3), sigmaNext)
        x.axpy(h / 6, k1)
        x.axpy(h / 3, k2)
        x.axpy(h / 3, k3)
        x.axpy(h / 6, k4)
    }
    return x
}
