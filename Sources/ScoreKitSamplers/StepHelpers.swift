/// The small pieces every k-diffusion-style sampler is written with.

/// The probability-flow ODE slope `dx/dσ = (x − D)/σ` (k-diffusion `to_d`).
@inlinable
public func toD<Scalar: MatrixScalar>(_ x: Matrix<Scalar>, sigma: Scalar, denoised: Matrix<Scalar>) -> Matrix<Scalar> {
    x.linearCombination(1 / sigma, -1 / sigma, denoised)
}

/// Splits a step σ_from → σ_to into a deterministic part to σ_down and fresh noise of size σ_up
/// (k-diffusion `get_ancestral_step`): σ_up = min(σ_to, η √(σ_to²(σ_from² − σ_to²)/σ_from²)),
/// σ_down = √(σ_to² − σ_up²); η = 0 gives (σ_to, 0).
@inlinable
public func ancestralStep<Scalar: MatrixScalar>(from sigmaFrom: Scalar, to sigmaTo: Scalar, eta: Scalar = 1)
    -> (down: Scalar, up: Scalar)
{
    if eta == 0 { return (sigmaTo, 0) }
    let up = min(sigmaTo, eta * (sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom)).squareRoot())
    return ((sigmaTo * sigmaTo - up * up).squareRoot(), up)
}
