/// The four scalings of a preconditioned network: D(x; σ) = c_skip x + c_out F(c_in x; c_noise)
/// (Karras et al. 2022, eq. 7).
public struct PreconditioningCoefficients<Scalar: MatrixScalar>: Equatable, Sendable {
    public let cSkip: Scalar
    public let cOut: Scalar
    public let cIn: Scalar
    /// The noise label the network is conditioned on.
    public let cNoise: Scalar
}

/// How a network F is wrapped into a denoiser (EDM Table 1; k-diffusion's wrappers). Each case
/// is a closed-form function of σ (VE coordinates, DESIGN.md):
/// * `edm`: c_skip = σ_d²/(σ² + σ_d²), c_out = σ σ_d/√(σ² + σ_d²), c_in = 1/√(σ² + σ_d²),
///   c_noise = ¼ ln σ. Both the network input and the effective training target
///   (x₀ − c_skip x)/c_out then have unit variance for data of standard deviation σ_d, and the
///   EDM loss weight λ(σ) = 1/c_out² (papers.md §0.3).
/// * `vp`: c_skip = 1, c_out = −σ, c_in = 1/√(σ² + 1), c_noise = (M − 1) t(σ) with t the
///   inverse of the VP-SDE's σ_VE(t) (`VPProcess.time(forVESigma:)`): F predicts ε.
/// * `ve`: c_skip = 1, c_out = σ, c_in = 1, c_noise = ln(σ/2): F is σ times the score's
///   negative-noise direction, as in score_sde's VE models.
/// * `epsilon`: ε-prediction in VP input scaling (k-diffusion's `DiscreteEpsDDPMDenoiser`):
///   c_skip = 1, c_out = −σ, c_in = 1/√(σ² + 1), with ScoreKit's label c_noise = ¼ ln σ (the
///   original feeds the discrete time index).
/// * `velocity`: v-prediction (k-diffusion's `VDenoiser`): c_skip = σ_d²/(σ² + σ_d²),
///   c_out = −σ σ_d/√(σ² + σ_d²), c_in = 1/√(σ² + σ_d²), c_noise = ¼ ln σ; with σ_d = 1 this is
///   `PredictionTarget.velocity`.
public enum Preconditioning: Codable, Equatable, Sendable {
    case edm(sigmaData: Double)
    case vp(betaD: Double, betaMin: Double, trainingSteps: Int)
    case ve
    case epsilon
    case velocity(sigmaData: Double)

    /// EDM's defaults: σ_data = 0.5.
    public static let edmDefault = Preconditioning.edm(sigmaData: 0.5)
    /// EDM's VP defaults: β_d = 19.9, β_min = 0.1, M = 1000.
    public static let vpDefault = Preconditioning.vp(betaD: 19.9, betaMin: 0.1, trainingSteps: 1000)

    /// Checks the parameters: σ_d finite and positive, VP β's as `VPProcess` requires, M ≥ 1.
    public func validate() throws(ScheduleError) {
        switch self {
        case .edm(let sd), .velocity(let sd):
            try ScheduleArguments.positive("sigma_data", sd)
        case .vp(let betaD, let betaMin, let steps):
            _ = try VPProcess<Double>(betaD: betaD, betaMin: betaMin)
            guard steps >= 1 else {
                throw .invalidParameter(name: "training steps", value: Double(steps), requirement: "at least 1")
            }
        case .ve, .epsilon:
            return
        }
    }

    /// c_skip, c_out, c_in and c_noise at noise level σ > 0 (for validated parameters).
    public func coefficients<Scalar: MatrixScalar>(sigma: Scalar) -> PreconditioningCoefficients<Scalar> {
        let s2 = sigma * sigma
        switch self {
        case .edm(let sd):
            return Self.edmCoefficients(sigma: sigma, sigmaData: Scalar(sd), outputSign: 1)
        case .velocity(let sd):
            return Self.edmCoefficients(sigma: sigma, sigmaData: Scalar(sd), outputSign: -1)
        case .vp(let betaD, let betaMin, let steps):
            let t = VPProcess.time(forVESigma: sigma, betaD: Scalar(betaD), betaMin: Scalar(betaMin))
            return PreconditioningCoefficients(
                cSkip: 1, cOut: -sigma, cIn: 1 / (s2 + 1).squareRoot(), cNoise: Scalar(steps - 1) * t)
        case .ve:
            return PreconditioningCoefficients(cSkip: 1, cOut: sigma, cIn: 1, cNoise: Scalar.log(sigma / 2))
        case .epsilon:
            return PreconditioningCoefficients(
                cSkip: 1, cOut: -sigma, cIn: 1 / (s2 + 1).squareRoot(), cNoise: Scalar.log(sigma) / 4)
        }
    }

    /// EDM's scalings; v-prediction is the same with the output negated.
    private static func edmCoefficients<Scalar: MatrixScalar>(
        sigma: Scalar, sigmaData sd: Scalar, outputSign: Scalar
    ) -> PreconditioningCoefficients<Scalar> {
        let total = sigma * sigma + sd * sd
        return PreconditioningCoefficients(
            cSkip: sd * sd / total, cOut: outputSign * sigma * sd / total.squareRoot(),
            cIn: 1 / total.squareRoot(), cNoise: Scalar.log(sigma) / 4)
    }

    /// D = c_skip x + c_out F, from the network's output F at noise level σ.
    public func denoised<Scalar: MatrixScalar>(
        x: Matrix<Scalar>, networkOutput: Matrix<Scalar>, sigma: Scalar
    ) -> Matrix<Scalar> {
        let c: PreconditioningCoefficients<Scalar> = coefficients(sigma: sigma)
        return x.linearCombination(c.cSkip, c.cOut, networkOutput)
    }

    /// The regression target of F for clean data x₀ noised to x: (x₀ − c_skip x)/c_out, so that
    /// ‖D − x₀‖² = c_out² ‖F − target‖² (EDM eq. 8).
    public func trainingTarget<Scalar: MatrixScalar>(
        x0: Matrix<Scalar>, x: Matrix<Scalar>, sigma: Scalar
    ) -> Matrix<Scalar> {
        let c: PreconditioningCoefficients<Scalar> = coefficients(sigma: sigma)
        return x0.linearCombination(1 / c.cOut, -c.cSkip / c.cOut, x)
    }

    /// 1/c_out², the weight on ‖D − x₀‖² that makes the loss on F uniform (EDM's λ(σ)).
    public func lossWeight<Scalar: MatrixScalar>(sigma: Scalar) -> Scalar {
        let c: PreconditioningCoefficients<Scalar> = coefficients(sigma: sigma)
        return 1 / (c.cOut * c.cOut)
    }
}
