/// A network F(input; c_noise) that is conditioned on the noise level only through its label,
/// as EDM's preconditioned networks are (the thing a `Preconditioning` wraps).
public protocol NoiseConditionalNetwork<Scalar>: Sendable {
    associatedtype Scalar: MatrixScalar
    /// The data dimension d; inputs and outputs are B × d.
    var dimension: Int { get }
    /// F on a B × d batch of scaled inputs c_in x, all at the noise label `noiseLabel`.
    func callAsFunction(_ input: Matrix<Scalar>, noiseLabel: Scalar) throws -> Matrix<Scalar>
}

/// A network wrapped into the denoiser contract by its preconditioning:
/// D(x; σ) = c_skip x + c_out F(c_in x; c_noise) (Karras et al. 2022, eq. 7).
public struct PreconditionedDenoiser<Network: NoiseConditionalNetwork>: Denoiser {
    public typealias Scalar = Network.Scalar
    public let network: Network
    public let preconditioning: Preconditioning

    /// Throws if the preconditioning's parameters are invalid (`Preconditioning.validate`).
    public init(network: Network, preconditioning: Preconditioning) throws(ScheduleError) {
        try preconditioning.validate()
        self.network = network
        self.preconditioning = preconditioning
    }

    public var dimension: Int { network.dimension }

    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        let c: PreconditioningCoefficients<Scalar> = preconditioning.coefficients(sigma: sigma)
        let output = try network(c.cIn * x, noiseLabel: c.cNoise)
        return x.linearCombination(c.cSkip, c.cOut, output)
    }
}
