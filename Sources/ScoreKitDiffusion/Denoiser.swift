/// The contract every model, exact or learned, is used through: `D(x; σ)`, the estimate of the
/// clean data `E[x₀ | x_σ = x]` under VE noise `x_σ = x₀ + σ ε` (DESIGN.md).
///
/// Samplers call it with one σ for the whole batch. The score and ε-prediction follow from it:
/// `∇log p_σ(x) = (D − x)/σ²` and `ε̂ = (x − D)/σ`.
public protocol Denoiser<Scalar>: Sendable {
    associatedtype Scalar: MatrixScalar
    /// The data dimension d; inputs are B × d.
    var dimension: Int { get }
    /// `D(x; σ)` for a B × d batch at one noise level σ > 0.
    func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar>
}

extension Denoiser {
    /// The score `∇ₓ log p_σ(x) = (D(x; σ) − x)/σ²` (Tweedie's formula).
    public func score(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        let d = try denoise(x, sigma: sigma)
        return d.linearCombination(1 / (sigma * sigma), -1 / (sigma * sigma), x)
    }

    /// The noise estimate `ε̂ = (x − D(x; σ))/σ`.
    public func epsilon(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        let d = try denoise(x, sigma: sigma)
        return x.linearCombination(1 / sigma, -1 / sigma, d)
    }
}
