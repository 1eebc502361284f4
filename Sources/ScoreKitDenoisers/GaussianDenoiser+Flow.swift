extension GaussianDenoiser {
    /// The exact solution of the probability-flow ODE `dx/dσ = (x − D(x; σ))/σ` from `x(σ₁) = x`
    /// to `x(σ₂)`, for any σ₁ > 0 and σ₂ ≥ 0 (either direction): papers.md §0.4(a) [V, N],
    /// Wang & Vastola 2024 "analytical teleportation",
    ///
    ///     x(σ₂) = μ + U diag(ψ_k) Uᵀ (x − μ) + ψ_⊥ (I − U Uᵀ)(x − μ),
    ///     ψ_k = √((λ_k + σ₂²)/(λ_k + σ₁²)),  ψ_⊥ = √((ρ + σ₂²)/(ρ + σ₁²))  (= σ₂/σ₁ when ρ = 0).
    ///
    /// Why: in the eigenbasis each coordinate obeys dc/dσ = c σ/(λ + σ²), so c ∝ √(λ + σ²).
    /// The oracles' `gaussian_closed` sampler is this map (from σ_max to the last σ, or to 0).
    public func flow(_ x: Matrix<Scalar>, from sigma1: Scalar, to sigma2: Scalar) throws(DenoiserError) -> Matrix<Scalar> {
        try validateInput(x, sigma: sigma1, dimension: dimension)
        guard sigma2.isFinite && sigma2 >= 0 else { throw .invalidSigma(Double(sigma2)) }
        let start = noiseVariance(sigma1), end = sigma2 * sigma2
        return applyFilter(project(x)) { (($0 + end) / ($0 + start)).squareRoot() }
    }
}
