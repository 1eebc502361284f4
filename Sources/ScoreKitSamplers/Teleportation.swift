import ScoreKitDenoisers

/// Analytical teleportation (Wang & Vastola; papers.md §4): while σ is large the data's Gaussian
/// approximation governs the flow, so the first steps are replaced by the closed-form Gaussian
/// PF-ODE solution and the sampler only runs on the rest of the schedule.
public struct Teleportation<Scalar: MatrixScalar>: Sendable {
    /// The Gaussian fitted to the data whose closed-form flow replaces the skipped steps.
    public let gaussian: GaussianDenoiser<Scalar>
    /// Steps whose σ is above this are skipped.
    public let sigmaSkip: Scalar

    public init(gaussian: GaussianDenoiser<Scalar>, sigmaSkip: Scalar) throws {
        guard sigmaSkip.isFinite && sigmaSkip > 0 else {
            throw SamplingError.invalidOption("teleportation σ must be positive and finite (got \(sigmaSkip))")
        }
        self.gaussian = gaussian
        self.sigmaSkip = sigmaSkip
    }

    /// Moves `x` at `sigmas[0]` in closed form to `sigmas[k]`, the first schedule value ≤ σ_skip,
    /// and returns it with the remaining schedule `sigmas[k...]`. Snapping to a schedule value keeps
    /// the remaining steps exactly those of the full run, so "skip the first k steps" is literal.
    /// A σ_skip above `sigmas[0]` skips nothing; one below every nonzero σ keeps the final step.
    public func apply(_ x: Matrix<Scalar>, sigmas: [Scalar]) throws -> (x: Matrix<Scalar>, sigmas: [Scalar], skipped: Int) {
        guard sigmas.count >= 2 else { throw SamplingError.invalidSchedule("teleportation needs at least one step") }
        let lastNonzero = sigmas.lastIndex { $0 > 0 } ?? 0
        let k = min(sigmas.firstIndex { $0 <= sigmaSkip } ?? lastNonzero, lastNonzero)
        guard k > 0 else { return (x, sigmas, 0) }
        let moved = try gaussian.flow(x, from: sigmas[0], to: sigmas[k])
        return (moved, Array(sigmas[k...]), k)
    }
}
