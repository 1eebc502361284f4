/// Linear multistep sampler: k-diffusion `sample_lms`.

/// Linear multistep (Adams–Bashforth in σ on the PF-ODE slope d = (x − D)/σ, k-diffusion `sample_lms`,
/// order 4): x ← x + Σⱼ cⱼ dᵢ₋ⱼ with cⱼ the integral over [σᵢ, σᵢ₊₁] of the Lagrange basis polynomial
/// through σᵢ, …, σᵢ₋ₚ₊₁; the order grows as min(i + 1, order). N evaluations; the step to σ = 0 is
/// an ordinary LMS step.
public func sampleLMS<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                   sigmas: [D.Scalar], order: Int = 4) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    guard order >= 1 else { throw SamplingError.invalidOption("LMS order must be ≥ 1, got \(order)") }
    var x = start
    var slopes: [Matrix<D.Scalar>] = []  // newest last, at most `order`
    for i in 0..<(sigmas.count - 1) {
        let denoised = try model(x, sigmas[i])
        slopes.append(toD(x, sigma: sigmas[i], denoised: denoised))
        if slopes.count > order { slopes.removeFirst() }
        model.observe(step: i, sigma: sigmas[i], sigmaHat: sigmas[i], x: x, denoised: denoised)
        let coefficients = linearMultistepCoefficients(sigmas, step: i, order: min(i + 1, order))
        var increment = Matrix<D.Scalar>(rows: x.rows, columns: x.columns)
        for (c, d) in zip(coefficients, slopes.reversed()) { increment.axpy(c, d) }
        x += increment
    }
    return x
}

/// cⱼ = ∫_{σᵢ}^{σᵢ₊₁} ℓⱼ(τ) dτ for j = 0..<order, where ℓⱼ is the Lagrange basis polynomial that is
/// 1 at σᵢ₋ⱼ and 0 at the other nodes σᵢ, …, σᵢ₋ₚ₊₁ (p = order; cⱼ multiplies the slope of step i − j).
///
/// k-diffusion integrates with scipy's adaptive quadrature; the integrand is a polynomial, so this
/// integrates it in closed form instead: in u = τ − σᵢ the nodes are cₖ = σᵢ₋ₖ − σᵢ (c₀ = 0), the
/// numerator Πₖ≠ⱼ (u − cₖ) is expanded into monomials and ∫₀ʰ uⁿ du = hⁿ⁺¹/(n + 1), h = σᵢ₊₁ − σᵢ.
/// Shifting to σᵢ keeps the monomial terms of the size of the result (no cancellation of σ⁴-sized terms).
func linearMultistepCoefficients<Scalar: MatrixScalar>(_ sigmas: [Scalar], step i: Int, order: Int) -> [Scalar] {
    let nodes = (0..<order).map { k in sigmas[i - k] - sigmas[i] }
    let h = sigmas[i + 1] - sigmas[i]
    return (0..<order).map { j in
        var numerator: [Scalar] = [1]  // coefficients of uⁿ, n = 0...
        var denominator: Scalar = 1
        for k in 0..<order where k != j {
            numerator = multiplyByLinearFactor(numerator, root: nodes[k])
            denominator *= nodes[j] - nodes[k]
        }
        var integral: Scalar = 0
        var hPower = h
        for (n, a) in numerator.enumerated() {
            integral += a * hPower / Scalar(n + 1)
            hPower *= h
        }
        return integral / denominator
    }
}

/// The coefficients (constant term first) of p(u)·(u − root).
private func multiplyByLinearFactor<Scalar: MatrixScalar>(_ p: [Scalar], root: Scalar) -> [Scalar] {
    var product = [Scalar](repeating: 0, count: p.count + 1)
    for (n, a) in p.enumerated() {
        product[n + 1] += a
        product[n] -= root * a
    }
    return product
}
