/// Error control of the adaptive Dormand–Prince 5(4) solver (`rk45`). Step sizes are in the
/// integration variable (σ or log σ).
public struct DormandPrinceOptions<Scalar: MatrixScalar>: Codable, Sendable, Equatable {
    /// Relative tolerance; raised to 100 ε of the precision if smaller (as scipy does).
    public var rtol: Scalar
    /// Absolute tolerance, in units of x.
    public var atol: Scalar
    /// First trial step |h|; nil picks it automatically (Hairer, Nørsett & Wanner, *Solving ODEs I*,
    /// §II.4), which costs one evaluation.
    public var initialStep: Scalar?
    /// Step factor safety (scipy 0.9) and its bounds per step (scipy 0.2 and 10).
    public var safety: Scalar
    public var minFactor: Scalar
    public var maxFactor: Scalar
    /// Accepted plus rejected steps allowed before giving up.
    public var maxSteps: Int
    public var variable: ODEVariable
    /// With a schedule ending in 0: integrate to the last nonzero σ and return D there (the final
    /// map of every k-diffusion sampler); false returns the state at the last nonzero σ.
    public var denoiseToZero: Bool

    public init(rtol: Scalar = 1e-8, atol: Scalar = 1e-8, initialStep: Scalar? = nil, safety: Scalar = 0.9,
                minFactor: Scalar = 0.2, maxFactor: Scalar = 10, maxSteps: Int = 100_000,
                variable: ODEVariable = .sigma, denoiseToZero: Bool = true) {
        self.rtol = rtol
        self.atol = atol
        self.initialStep = initialStep
        self.safety = safety
        self.minFactor = minFactor
        self.maxFactor = maxFactor
        self.maxSteps = maxSteps
        self.variable = variable
        self.denoiseToZero = denoiseToZero
    }

    func validate() throws {
        guard rtol.isFinite, rtol >= 0, atol.isFinite, atol >= 0, rtol + atol > 0 else {
            throw SamplingError.invalidOption("rk45 needs finite rtol, atol ≥ 0, not both 0 (rtol \(rtol), atol \(atol))")
        }
        if let h = initialStep, !(h.isFinite && h > 0) {
            throw SamplingError.invalidOption("rk45 initial step must be positive and finite, not \(h)")
        }
        guard safety > 0, safety <= 1, minFactor > 0, minFactor < 1, maxFactor > 1, maxFactor.isFinite else {
            throw SamplingError.invalidOption("rk45 needs 0 < safety ≤ 1, 0 < minFactor < 1 < maxFactor < ∞")
        }
        guard maxSteps > 0 else { throw SamplingError.invalidOption("rk45 needs maxSteps > 0, not \(maxSteps)") }
    }
}

/// Why an adaptive solve stopped early.
public enum ODESolverError: Error, Equatable, CustomStringConvertible {
    case tooManySteps(limit: Int, sigma: Double)
    case stepSizeUnderflow(sigma: Double)

    public var description: String {
        switch self {
        case .tooManySteps(let n, let s):
            return "rk45 took its maximum of \(n) steps and stopped at σ = \(s); raise maxSteps or loosen rtol/atol"
        case .stepSizeUnderflow(let s):
            return "rk45 step size underflowed at σ = \(s) (the state may be non-finite); loosen rtol/atol"
        }
    }
}
