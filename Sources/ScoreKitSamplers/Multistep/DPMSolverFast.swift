/// DPM-Solver-fast (Lu et al. 2022, "DPM-Solver", §3.4), as k-diffusion 0.1.1's
/// `sample_dpm_fast`: a budget of `nfe` evaluations spread over m = ⌊nfe/3⌋ + 1 steps uniform in
/// t = −log σ, all third order except a tail of orders [2, 1] (nfe divisible by 3) or [nfe mod 3].
///
/// Starts from the given x at σ_max (the caller scales the noise by σ_max) and stops at σ_min with no
/// final denoising. With η > 0 each step goes to the ancestral σ_down and adds σ_up-scaled noise
/// (k-diffusion also draws, and discards, a sample when η = 0; this port does not).
public func sampleDPMFast<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmaMin: D.Scalar, sigmaMax: D.Scalar, nfe: Int,
    eta: D.Scalar = 0, sNoise: D.Scalar = 1, noise: inout some NoiseSource<D.Scalar>
) throws -> Matrix<D.Scalar> {
    typealias Scalar = D.Scalar
    try ExponentialIntegrator.validateSigmaRange(sigmaMin: sigmaMin, sigmaMax: sigmaMax, eta: eta)
    guard nfe >= 1 else { throw SamplingError.invalidOption("dpm_fast needs an NFE budget of at least 1, got \(nfe)") }
    let m = nfe / 3 + 1
    let tStart = -Scalar.log(sigmaMax)
    let tEnd = -Scalar.log(sigmaMin)
    let ts = ExponentialIntegrator.torchLinspace(tStart, tEnd, count: m + 1)
    let orders = nfe % 3 == 0 ? Array(repeating: 3, count: m - 2) + [2, 1] : Array(repeating: 3, count: m - 1) + [nfe % 3]
    let sigma = DPMSolverStep<D>.sigma
    var x = x
    for (i, order) in orders.enumerated() {
        let (t, tNext) = (ts[i], ts[i + 1])
        var target = tNext
        var sigmaUp: Scalar = 0
        if eta != 0 {
            let down = ancestralStep(from: sigma(t), to: sigma(tNext), eta: eta).down
            target = min(tEnd, -Scalar.log(down))
            sigmaUp = (sigma(tNext) * sigma(tNext) - sigma(target) * sigma(target)).squareRoot()
        }
        var step = DPMSolverStep(model: model, x: x, t: t, tNext: target)
        let eps = try step.epsilonAtStart()
        model.observe(step: i, sigma: sigma(t), sigmaHat: sigma(t), x: x,
                      denoised: x.linearCombination(1, -sigma(t), eps))
        switch order {
        case 1: x = try step.first()
        case 2: x = try step.second()
        default: x = try step.third()
        }
        if eta != 0 {
            let z = try noise.next(rows: x.rows, columns: x.columns, sigma: sigma(t), sigmaNext: sigma(tNext))
            x.axpy(sigmaUp * sNoise, z)
        }
    }
    return x
}

extension ExponentialIntegrator {
    /// k-diffusion's DPM-Solver entry points refuse σ = 0 ("sigma_min and sigma_max must not be 0").
    static func validateSigmaRange<Scalar: MatrixScalar>(sigmaMin: Scalar, sigmaMax: Scalar, eta: Scalar) throws {
        guard sigmaMin > 0, sigmaMax.isFinite, sigmaMin < sigmaMax else {
            throw SamplingError.invalidSchedule("DPM-Solver needs 0 < σ_min < σ_max < ∞, got σ_min \(sigmaMin), σ_max \(sigmaMax)")
        }
        guard eta >= 0, eta.isFinite else { throw SamplingError.invalidOption("η must be finite and ≥ 0, got \(eta)") }
    }

    /// `torch.linspace(start, end, count)` as its CPU kernel computes it: the first half counts up
    /// from `start`, the second half down from `end`, so both end points are exact.
    static func torchLinspace<Scalar: MatrixScalar>(_ start: Scalar, _ end: Scalar, count: Int) -> [Scalar] {
        guard count > 1 else { return [start] }
        let step = (end - start) / Scalar(count - 1)
        return (0..<count).map { i in
            i < count / 2 ? start + step * Scalar(i) : end - step * Scalar(count - 1 - i)
        }
    }
}
