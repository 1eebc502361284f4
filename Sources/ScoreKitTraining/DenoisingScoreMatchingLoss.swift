/// The weighted denoising score matching loss on a batch (Vincent 2011; EDM eq. 2/8):
///
///     ℓ_r = λ(σ_r) ‖D_r − x₀,r‖² / d,      L = (1/B) Σ_r ℓ_r,
///
/// the mean over rows and data dimensions (so losses of different d compare; EDM sums over the
/// pixels instead, which only rescales). Its gradient with respect to the denoiser output is
/// ∂L/∂D_r = 2 λ(σ_r) (D_r − x₀,r) / (B d); `NetworkDenoiser.backward` carries it to the network.
public struct DenoisingScoreMatchingLoss<Scalar: MatrixScalar>: Sendable {
    /// L, accumulated in Double.
    public let value: Double
    /// ℓ_r per row (weighted).
    public let rowLosses: [Double]
    /// ‖D_r − x₀,r‖²/(d σ_r²) per row: the ε-prediction error ‖ε̂ − ε‖²/d, comparable across σ.
    public let rowEpsilonErrors: [Double]
    /// ∂L/∂D (B × d).
    public let gradient: Matrix<Scalar>

    /// The loss of `denoised` against `clean` at per-row noise levels `sigmas` and weights λ(σ_r).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(denoised: Matrix<Scalar>, clean: Matrix<Scalar>, sigmas: [Scalar], weighting: LossWeighting) {
        precondition(denoised.rows == clean.rows && denoised.columns == clean.columns && sigmas.count == clean.rows,
                     "DSM loss: shapes differ")
        let (b, d) = (clean.rows, clean.columns)
        let residual = denoised - clean
        let squared = residual.rowSquaredNorms()
        var rows = [Double](), epsilon = [Double](), gradientScales = [Scalar]()
        rows.reserveCapacity(b)
        epsilon.reserveCapacity(b)
        for r in 0..<b {
            let sigma = Double(sigmas[r])
            let lambda = weighting.weight(sigma: sigma)
            let e = Double(squared[r]) / Double(d)
            rows.append(lambda * e)
            epsilon.append(e / (sigma * sigma))
            gradientScales.append(Scalar(2 * lambda / Double(b * d)))
        }
        value = rows.reduce(0, +) / Double(Swift.max(b, 1))
        rowLosses = rows
        rowEpsilonErrors = epsilon
        gradient = residual.scalingRows(by: gradientScales)
    }
}
