/// Checks and step formulas shared by the k-diffusion samplers.

/// A k-diffusion σ schedule: at least one step, finite, strictly descending, positive except for
/// a final 0. Equal or rising neighbours would divide by a zero step (h = 0) in the multistep rules.
func validateKDiffusionSchedule<Scalar: MatrixScalar>(_ sigmas: [Scalar]) throws {
    guard sigmas.count >= 2 else {
        throw SamplingError.invalidSchedule("need at least two σ values (one step), got \(sigmas.count)")
    }
    for (i, sigma) in sigmas.enumerated() {
        guard sigma.isFinite else { throw SamplingError.invalidSchedule("σ[\(i)] = \(sigma) is not finite") }
        guard sigma > 0 || (sigma == 0 && i == sigmas.count - 1) else {
            throw SamplingError.invalidSchedule("σ[\(i)] = \(sigma); only the last σ may be 0 and none negative")
        }
        if i > 0, sigma >= sigmas[i - 1] {
            throw SamplingError.invalidSchedule("σ must strictly decrease, but σ[\(i)] = \(sigma) ≥ σ[\(i - 1)] = \(sigmas[i - 1])")
        }
    }
}

/// η and s_noise of the ancestral and SDE samplers: finite and ≥ 0.
func validateNoiseScales<Scalar: MatrixScalar>(eta: Scalar, sNoise: Scalar) throws {
    guard eta >= 0, eta.isFinite else { throw SamplingError.invalidOption("eta must be finite and ≥ 0, got \(eta)") }
    guard sNoise >= 0, sNoise.isFinite else { throw SamplingError.invalidOption("s_noise must be finite and ≥ 0, got \(sNoise)") }
}

/// The σ a fraction r of the way from σ to σ′ in log σ (= λ = −log σ): σ^(1−r) σ′^r. r = ½ is the
/// geometric mean, DPM-Solver-2's midpoint (Lu et al. 2022, Alg. 1).
func logInterpolatedSigma<Scalar: MatrixScalar>(_ sigma: Scalar, _ sigmaNext: Scalar, fraction r: Scalar) -> Scalar {
    let logSigma = Scalar.log(sigma)
    return Scalar.exp(logSigma + r * (Scalar.log(sigmaNext) - logSigma))
}

/// The first-order DPM-Solver++ update in VE form (Lu et al. 2022b, eq. 9 with α = 1, λ = −log σ):
/// x′ = (σ′/σ) x − (e^{−h} − 1) D with h = λ′ − λ. To σ′ = 0 it is D exactly (h = ∞), with no log 0.
func dpmSolverPPUpdate<Scalar: MatrixScalar>(_ x: Matrix<Scalar>, sigma: Scalar, sigmaNext: Scalar,
                                            denoised: Matrix<Scalar>) -> Matrix<Scalar> {
    if sigmaNext == 0 { return denoised }
    let h = Scalar.log(sigma) - Scalar.log(sigmaNext)
    return x.linearCombination(sigmaNext / sigma, -Scalar.expMinusOne(-h), denoised)
}

/// An Euler step of the probability-flow ODE dx/dσ = (x − D)/σ from σ to σ′ (σ′ may be 0).
func eulerStep<Scalar: MatrixScalar>(_ x: Matrix<Scalar>, sigma: Scalar, sigmaNext: Scalar,
                                     denoised: Matrix<Scalar>) -> Matrix<Scalar> {
    var next = x
    next.axpy(sigmaNext - sigma, toD(x, sigma: sigma, denoised: denoised))
    return next
}
