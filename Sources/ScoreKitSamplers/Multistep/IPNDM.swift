/// Improved PNDM (iPNDM; Zhang & Chen 2023, the DEIS paper; the diff-solvers / GITS
/// `ipndm_sampler`): Adams–Bashforth on the slope dx/dσ = (x − D)/σ with the fixed
/// equal-step coefficients of order p and the lower orders while the history fills up.
///
/// Order 1 is Euler's method.
public func sampleIPNDM<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar], order: Int = 4
) throws -> Matrix<D.Scalar> {
    try slopeMultistep(model, from: x, sigmas: sigmas, order: order, name: "iPNDM") { i, p in
        let dt = sigmas[i + 1] - sigmas[i]
        return adamsBashforthWeights[p - 1].map { dt * D.Scalar($0) }
    }
}

/// Adams–Bashforth weights of orders 1–4 for (d_i, d_{i−1}, d_{i−2}, d_{i−3}).
private let adamsBashforthWeights: [[Double]] = [
    [1],
    [3.0 / 2, -1.0 / 2],
    [23.0 / 12, -16.0 / 12, 5.0 / 12],
    [55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24],
]
