/// Which variable an adaptive solver integrates the probability-flow ODE in.
///
/// σ is the default. Under VE noise the flow is nearly straight in σ (x ≈ D + σ·ε̂ far from the
/// data, x ≈ a quadratic in σ near it), whereas in t = log σ it is exponential in t wherever
/// σ² dominates the data variance, so log σ needs more steps for the same tolerance: measured on
/// ring8 (25 Karras σ, 80 → 0.002, rtol = atol = 1e-10), 1358 vs 1460 evaluations for the empirical
/// denoiser and 1250 vs 2108 for the fitted Gaussian at 1e-12. The σ form's slope grows like 1/σ
/// near 0, but the solve stops at the last nonzero σ, so that is harmless.
public enum ODEVariable: String, Codable, Sendable, CaseIterable {
    /// dx/dσ = (x − D(x; σ))/σ, as scipy's DOP853 runs of the ring8 oracle do.
    case sigma
    /// dx/dt = x − D(x; eᵗ) with t = log σ.
    case logSigma = "log_sigma"
}

/// A point of the solution with the evaluation made there (reused first-same-as-last).
struct ODEPoint<Scalar: MatrixScalar> {
    let t: Scalar
    let sigma: Scalar
    let x: Matrix<Scalar>
    let slope: Matrix<Scalar>
    let denoised: Matrix<Scalar>
}

/// The probability-flow ODE of a denoiser in the chosen variable (Karras et al. 2022, §2).
struct ProbabilityFlowODE<D: Denoiser> {
    typealias Scalar = D.Scalar
    let model: SamplingModel<D>
    let variable: ODEVariable

    func time(of sigma: Scalar) -> Scalar { variable == .sigma ? sigma : .log(sigma) }
    func sigma(at t: Scalar) -> Scalar { variable == .sigma ? t : .exp(t) }

    /// Evaluates the slope at (x, t); `sigma` is σ(t), passed in so schedule points use their exact σ.
    func point(_ x: Matrix<Scalar>, t: Scalar, sigma: Scalar) throws -> ODEPoint<Scalar> {
        let denoised = try model(x, sigma)
        let slope = variable == .sigma ? toD(x, sigma: sigma, denoised: denoised) : x - denoised
        return ODEPoint(t: t, sigma: sigma, x: x, slope: slope, denoised: denoised)
    }
}
