/// The β schedules of discrete DDPM-style models (Ho et al. 2020; Stable Diffusion).
public enum BetaSchedule: Codable, Equatable, Sendable {
    /// β_j evenly spaced from `start` to `end` (DDPM: 10⁻⁴ … 0.02 over 1000 steps).
    case linear(start: Double, end: Double)
    /// √β_j evenly spaced, then squared (Stable Diffusion's "scaled_linear": 0.00085 … 0.012).
    /// diffusers computes it in float32; here it is float64.
    case scaledLinear(start: Double, end: Double)

    public static let ddpm = BetaSchedule.linear(start: 1e-4, end: 0.02)
    public static let stableDiffusion = BetaSchedule.scaledLinear(start: 0.00085, end: 0.012)

    /// The `count` values β₀ … β_{count−1}, with torch's linspace.
    public func betas(count: Int) -> [Double] {
        switch self {
        case .linear(let start, let end):
            return TorchCPUKernels.linspace(start, end, count)
        case .scaledLinear(let start, let end):
            return TorchCPUKernels.linspace(start.squareRoot(), end.squareRoot(), count).map { $0 * $0 }
        }
    }
}

/// The noise levels of a discrete variance-preserving model: ᾱ_j = ∏_{i≤j}(1 − β_i),
/// x_j = √ᾱ_j x₀ + √(1 − ᾱ_j) ε, and in VE coordinates σ_j = √((1 − ᾱ_j)/ᾱ_j), ascending in j
/// (k-diffusion's `DiscreteSchedule`). Computed in float64 in torch's order (a sequential
/// cumulative product), rounded once to `Scalar`.
public struct DDPMNoiseLevels<Scalar: MatrixScalar>: Equatable, Sendable {
    public let betas: [Scalar]
    /// ᾱ_j, the cumulative products of 1 − β.
    public let alphasCumprod: [Scalar]
    /// σ_j = √((1 − ᾱ_j)/ᾱ_j), ascending.
    public let sigmas: [Scalar]

    /// Levels from explicit β_j, each finite with 0 < β_j < 1.
    public init(betas: [Double]) throws(ScheduleError) {
        guard !betas.isEmpty else { throw .empty }
        for (j, b) in betas.enumerated() where !(b > 0 && b < 1) {
            throw .invalidParameter(name: "beta[\(j)]", value: b, requirement: "strictly between 0 and 1")
        }
        var product = 1.0
        let cumprod = betas.map { b in
            product *= 1 - b
            return product
        }
        self.betas = betas.map { Scalar($0) }
        alphasCumprod = cumprod.map { Scalar($0) }
        sigmas = cumprod.map { Scalar(((1 - $0) / $0).squareRoot()) }
    }

    /// Levels of a named β schedule with `count` training steps (1000 for DDPM).
    public init(_ schedule: BetaSchedule, count: Int = 1000) throws(ScheduleError) {
        try ScheduleArguments.check(steps: count)
        try self.init(betas: schedule.betas(count: count))
    }

    /// The VP (α, σ) pair of step j: α = √ᾱ_j, σ = √(1 − ᾱ_j).
    public func noiseLevel(at j: Int) -> VPNoiseLevel<Scalar> {
        VPNoiseLevel(alpha: alphasCumprod[j].squareRoot(), sigma: (1 - alphasCumprod[j]).squareRoot())
    }
}
