/// A denoiser whose noised density `p_σ = p_data * N(0, σ² I)` is known in closed form, so that
/// Tweedie's formula `D(x; σ) = x + σ² ∇log p_σ(x)` (papers.md §0.1) holds exactly between
/// `denoise` and `logDensity`.
///
/// The log-density is fully normalised (it includes `−(d/2) log 2π` and the log-determinant), so
/// values at different σ can be compared — Kim's level posterior (papers.md §1.2) relies on that.
public protocol DensityModel<Scalar>: Denoiser {
    /// `log p_σ(x)` for every row of the B × d batch `x`, at one noise level σ > 0.
    func logDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> [Scalar]

    /// `D(x; σ)` and `log p_σ(x)` together, sharing the work the two have in common (one pass over
    /// the training set for the empirical model, one projection for Gaussians).
    func denoiseWithLogDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError)
        -> (denoised: Matrix<Scalar>, logDensity: [Scalar])
}

/// Checks a batch and a noise level against a `dimension`-dimensional model.
func validateInput<Scalar: MatrixScalar>(_ x: Matrix<Scalar>, sigma: Scalar, dimension: Int) throws(DenoiserError) {
    guard x.columns == dimension else { throw .dimensionMismatch(expected: dimension, got: x.columns) }
    guard sigma.isFinite && sigma > 0 else { throw .invalidSigma(Double(sigma)) }
    guard x.isFinite else { throw .nonFiniteInput }
}

/// σ², kept at or above the smallest normal number so that a σ whose square underflows (Float
/// below ~1e-19) still gives the σ → 0 limits instead of 0/0.
func noiseVariance<Scalar: MatrixScalar>(_ sigma: Scalar) -> Scalar {
    Swift.max(sigma * sigma, Scalar.leastNormalMagnitude)
}

/// `(d/2) log 2π`, the normalising constant of a d-dimensional Gaussian.
func halfLogTwoPi<Scalar: MatrixScalar>(dimension d: Int) -> Scalar {
    Scalar(d) * Scalar.log(2 * Scalar.pi) / 2
}
