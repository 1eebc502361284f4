/// Multistep DPM-Solver++ SDE samplers: k-diffusion `sample_dpmpp_2m_sde` and `sample_dpmpp_3m_sde`.
/// With h = log(σᵢ/σᵢ₊₁), the SDE step damps x by (σᵢ₊₁/σᵢ) e^{−ηh} and adds noise of size
/// σᵢ₊₁ √(1 − e^{−2ηh}), drawn as `noise(σᵢ, σᵢ₊₁)` only when η ≠ 0. η = 0 is the ODE solver.

/// The second-order correction of DPM-Solver++(2M) SDE (k-diffusion `solver_type`).
public enum SDESolverType: String, CaseIterable, Codable, Sendable {
    /// ½ (1 − e^{−h−ηh}) (Dᵢ − Dᵢ₋₁)/r: k-diffusion's default.
    case midpoint
    /// ((1 − e^{−h−ηh})/(−h−ηh) + 1) (Dᵢ − Dᵢ₋₁)/r.
    case heun
}

/// DPM-Solver++(2M) SDE (Lu et al. 2022b, SDE-DPM-Solver++(2M); k-diffusion η 1, s_noise 1, midpoint):
/// the step to σ = 0 returns D (also for a one-step schedule, where k-diffusion 0.1.1 fails on an
/// undefined h). N evaluations.
public func sampleDPMpp2MSDE<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                          sigmas: [D.Scalar], eta: D.Scalar = 1, sNoise: D.Scalar = 1,
                                          solverType: SDESolverType = .midpoint,
                                          noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    try validateNoiseScales(eta: eta, sNoise: sNoise)
    var x = start
    var previous: (denoised: Matrix<D.Scalar>, h: D.Scalar)?
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        let denoised = try model(x, sigma)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        if sigmaNext == 0 { return denoised }  // schedules are validated: this is the last step
        let h = D.Scalar.log(sigma) - D.Scalar.log(sigmaNext)
        let etaH = eta * h
        let phi1 = -D.Scalar.expMinusOne(-h - etaH)  // 1 − e^{−h−ηh}
        x = x.linearCombination(sigmaNext / sigma * D.Scalar.exp(-etaH), phi1, denoised)
        if let previous {
            let r = previous.h / h
            let weight = switch solverType {
            case .midpoint: phi1 / 2
            case .heun: phi1 / (-h - etaH) + 1
            }
            x.axpy(weight / r, denoised - previous.denoised)
        }
        if eta != 0 { try addSDENoise(to: &x, sigma: sigma, sigmaNext: sigmaNext, etaH: etaH, sNoise: sNoise, noise: &noise) }
        previous = (denoised, h)
    }
    return x
}

/// DPM-Solver++(3M) SDE (k-diffusion's third-order extension of Lu et al. 2022b, η 1, s_noise 1): the exponential
/// integrator with h_η = (1 + η) h and φ₂ = (e^{−h_η} − 1)/h_η + 1, φ₃ = φ₂/h_η − ½ corrections from
/// divided differences of the last two or three D (second order on the second step). The step to
/// σ = 0 returns D, also for a one-step schedule. N evaluations.
public func sampleDPMpp3MSDE<D: Denoiser>(_ model: SamplingModel<D>, from start: Matrix<D.Scalar>,
                                          sigmas: [D.Scalar], eta: D.Scalar = 1, sNoise: D.Scalar = 1,
                                          noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
    try validateKDiffusionSchedule(sigmas)
    try validateNoiseScales(eta: eta, sNoise: sNoise)
    var x = start
    var history: [(denoised: Matrix<D.Scalar>, h: D.Scalar)] = []  // newest first, at most two
    for i in 0..<(sigmas.count - 1) {
        let (sigma, sigmaNext) = (sigmas[i], sigmas[i + 1])
        let denoised = try model(x, sigma)
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: x, denoised: denoised)
        if sigmaNext == 0 { return denoised }  // schedules are validated: this is the last step
        let h = D.Scalar.log(sigma) - D.Scalar.log(sigmaNext)
        let hEta = h * (eta + 1)
        x = x.linearCombination(D.Scalar.exp(-hEta), -D.Scalar.expMinusOne(-hEta), denoised)
        let phi2 = D.Scalar.expMinusOne(-hEta) / hEta + 1
        if history.count == 2 {
            let (r0, r1) = (history[0].h / h, history[1].h / h)
            let d10 = (denoised - history[0].denoised) / r0
            let d11 = (history[0].denoised - history[1].denoised) / r1
            let d1 = d10 + (d10 - d11) * (r0 / (r0 + r1))
            let d2 = (d10 - d11) / (r0 + r1)
            let phi3 = phi2 / hEta - 1 / 2
            x.axpy(phi2, d1)
            x.axpy(-phi3, d2)
        } else if let last = history.first {
            x.axpy(phi2, (denoised - last.denoised) / (last.h / h))
        }
        if eta != 0 { try addSDENoise(to: &x, sigma: sigma, sigmaNext: sigmaNext, etaH: eta * h, sNoise: sNoise, noise: &noise) }
        history = [(denoised, h)] + history.prefix(1)
    }
    return x
}

/// x ← x + s_noise σ′ √(1 − e^{−2ηh}) ε with ε = `noise(σ, σ′)`.
private func addSDENoise<Scalar: MatrixScalar>(to x: inout Matrix<Scalar>, sigma: Scalar, sigmaNext: Scalar,
                                               etaH: Scalar, sNoise: Scalar,
                                               noise: inout some NoiseSource<Scalar>) throws {
    let scale = sigmaNext * (-Scalar.expMinusOne(-2 * etaH)).squareRoot() * sNoise
    x.axpy(scale, try noise.next(rows: x.rows, columns: x.columns, sigma: sigma, sigmaNext: sigmaNext))
}
