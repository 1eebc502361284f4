/// DPM-Solver++ multistep of order 1–3 in data prediction (Lu et al. 2022b, "DPM-Solver++",
/// Alg. 2, and its third-order multistep extension), with diffusers' `DPMSolverMultistepScheduler` rules
/// (`algorithm_type="dpmsolver++"`, `solver_type="midpoint"`, `final_sigmas_type="zero"`), in VE
/// variables (α = 1, λ = −log σ).
///
/// Orders: warm-up min(order, i + 1); the last step is first order when it ends at σ = 0 (it then
/// returns D) and, with `lowerOrderFinal`, on schedules of fewer than 15 steps the last step is
/// first order and the one before at most second order. One NFE per step.
public func sampleDPMppMultistep<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar], order: Int = 3,
    lowerOrderFinal: Bool = true
) throws -> Matrix<D.Scalar> {
    typealias Scalar = D.Scalar
    try ExponentialIntegrator.validate(sigmas)
    guard (1...3).contains(order) else {
        throw SamplingError.invalidOption("DPM-Solver++ multistep order must be 1, 2 or 3, got \(order)")
    }
    let n = sigmas.count - 1
    let lambda = sigmas.map { ExponentialIntegrator.lambda($0) }
    let shortSchedule = lowerOrderFinal && n < 15
    var x = x
    var history: [Matrix<Scalar>] = []  // D at σ_{i−2}, σ_{i−1}, σ_i
    for i in 0..<n {
        let denoised = try model(x, sigmas[i])
        model.observe(step: i, sigma: sigmas[i], sigmaHat: sigmas[i], x: x, denoised: denoised)
        history.append(denoised)
        if history.count > order { history.removeFirst() }
        if sigmas[i + 1] == 0 { return denoised }
        var stepOrder = history.count
        if shortSchedule && i == n - 1 { stepOrder = 1 }
        if shortSchedule && i == n - 2 { stepOrder = min(stepOrder, 2) }
        let h = lambda[i + 1] - lambda[i]
        let phi1 = -Scalar.expMinusOne(-h)  // 1 − e^{−h}
        x = x.linearCombination(sigmas[i + 1] / sigmas[i], phi1, denoised)
        if stepOrder >= 2 {
            // D1 = (D_i − D_{i−1})/r₀ with r₀ = h_{i−1}/h
            let r0 = (lambda[i] - lambda[i - 1]) / h
            let d1First = (denoised - history[history.count - 2]) / r0
            if stepOrder == 2 {
                x.axpy(phi1 / 2, d1First)  // midpoint form: − ½ (e^{−h} − 1) D1
            } else {
                let r1 = (lambda[i - 1] - lambda[i - 2]) / h
                let d1Second = (history[history.count - 2] - history[history.count - 3]) / r1
                let d2 = (d1First - d1Second) / (r0 + r1)
                let d1 = d1First + (r0 / (r0 + r1)) * (d1First - d1Second)
                let e = Scalar.expMinusOne(-h)
                x.axpy(e / h + 1, d1)  // + ((e^{−h} − 1)/h + 1) D1
                x.axpy(-((e + h) / (h * h) - 1 / 2), d2)  // − ((e^{−h} − 1 + h)/h² − ½) D2
            }
        }
    }
    return x
}
