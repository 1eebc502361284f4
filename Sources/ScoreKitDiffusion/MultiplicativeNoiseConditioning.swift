/// A vector field f(x) with no noise input: the body of an NCSNv2 network, or Kim's optimal
/// multiplicative field f* (papers.md §1.2).
public protocol UnconditionedField<Scalar>: Sendable {
    associatedtype Scalar: MatrixScalar
    /// The data dimension d; inputs and outputs are B × d.
    var dimension: Int { get }
    /// f on a B × d batch.
    func callAsFunction(_ x: Matrix<Scalar>) throws -> Matrix<Scalar>
}

/// NCSNv2's multiplicative noise conditioning (Song & Ermon 2020, technique 3; Kim 2026):
/// the score model is s(x, σ) = f(x)/σ, so as a denoiser (Tweedie, D = x + σ² s)
/// D(x; σ) = x + σ f(x), and the PF-ODE dx/dσ = (x − D)/σ = −f(x) is autonomous
/// (papers.md §1.1, §1.3). f approximates σ ∇log p_σ = −E[ε | x], which is why the sign is +.
public struct MultiplicativeNoiseConditioning<Field: UnconditionedField>: Denoiser {
    public typealias Scalar = Field.Scalar
    public let field: Field

    public init(field: Field) { self.field = field }

    public var dimension: Int { field.dimension }

    /// D(x; σ) = x + σ f(x).
    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        x.linearCombination(1, sigma, try field(x))
    }
}
