/// The updates the score-SDE samplers are written with. The score comes from the denoiser by
/// Tweedie's formula, s(x, σ) = (D(x; σ) − x)/σ², so x + c·s = (1 − c/σ²)·x + (c/σ²)·D.

/// Reverse-diffusion step of the VE SDE from σ to σ_next (score_sde's `ReverseDiffusionPredictor`
/// with f = 0, G = √(σ² − σ_next²)): x + (σ² − σ_next²)·s(x, σ) + √(σ² − σ_next²)·z.
func reverseDiffusionStep<Scalar: MatrixScalar>(
    _ x: Matrix<Scalar>, denoised: Matrix<Scalar>, sigma: Scalar, sigmaNext: Scalar, noise z: Matrix<Scalar>
) -> Matrix<Scalar> {
    let variance = sigma * sigma - sigmaNext * sigmaNext
    let keep = (sigmaNext * sigmaNext) / (sigma * sigma)
    var out = x.linearCombination(keep, 1 - keep, denoised)
    out.axpy(variance.squareRoot(), z)
    return out
}

/// Langevin MCMC step at level σ with one step size per row: x_r + ε_r·s_r + √(2ε_r)·z_r
/// (Song & Ermon 2019, Alg. 1; the corrector of Song et al. 2021, Alg. 4).
func langevinStep<Scalar: MatrixScalar>(
    _ x: Matrix<Scalar>, denoised: Matrix<Scalar>, sigma: Scalar, stepSizes: [Scalar], noise z: Matrix<Scalar>
) -> Matrix<Scalar> {
    var out = x
    let d = x.columns
    for r in 0..<x.rows {
        let pull = stepSizes[r] / (sigma * sigma)
        let spread = (2 * stepSizes[r]).squareRoot()
        for j in (r * d)..<((r + 1) * d) {
            out.scalars[j] = (1 - pull) * x.scalars[j] + pull * denoised.scalars[j] + spread * z.scalars[j]
        }
    }
    return out
}
