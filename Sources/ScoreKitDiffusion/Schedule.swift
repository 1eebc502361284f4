/// A noise schedule: strictly decreasing noise levels σ_0 > σ_1 > … ≥ 0, normally N positive
/// values followed by σ_N = 0, so that a sampler takes N steps, step i going from σ_i to σ_{i+1}
/// (k-diffusion's convention; DESIGN.md). A sampler starts from `z · σ_0`.
///
/// Every value is validated on construction: finite, nonnegative, strictly decreasing (no
/// repeated σ, so no zero-length step), a positive first value, and 0 only at the end. The
/// builders (`karras`, `exponential`, …) compute in Double with k-diffusion's arithmetic and
/// round once to `Scalar`; a Float schedule whose values collapse under that rounding is an error.
public struct Schedule<Scalar: MatrixScalar>: Sendable, Equatable {
    /// σ_0, σ_1, …: strictly decreasing, normally ending with 0.
    public let sigmas: [Scalar]

    /// A schedule from explicit values, validated (see the type's documentation).
    public init(sigmas: [Scalar]) throws(ScheduleError) {
        try Self.validate(sigmas)
        self.sigmas = sigmas
    }

    /// Number of sampler steps: one per consecutive pair of σ.
    public var stepCount: Int { sigmas.count - 1 }

    /// Whether the last σ is 0 (the last step then returns the denoiser's estimate).
    public var endsAtZero: Bool { sigmas[sigmas.count - 1] == 0 }

    /// σ_0, the noise level of the start state.
    public var sigmaMax: Scalar { sigmas[0] }

    /// The smallest positive σ (σ_{N−1} when the schedule ends at 0).
    public var smallestPositiveSigma: Scalar { sigmas[endsAtZero ? sigmas.count - 2 : sigmas.count - 1] }

    /// The schedule with a final 0 appended if it has none.
    public func appendingZero() -> Schedule {
        endsAtZero ? self : Schedule(validated: sigmas + [0])
    }

    /// The same schedule in the other precision (each σ rounded once).
    public func converted<Other: MatrixScalar>(to: Other.Type = Other.self) throws(ScheduleError) -> Schedule<Other> {
        try Schedule<Other>(sigmas: sigmas.map { Other($0) })
    }

    /// Values already known to be valid.
    private init(validated sigmas: [Scalar]) { self.sigmas = sigmas }

    /// Rounds Double values computed by a builder to `Scalar`, appends 0 if asked, validates.
    static func rounding(_ values: [Double], appendZero: Bool) throws(ScheduleError) -> Schedule {
        try Schedule(sigmas: values.map { Scalar($0) } + (appendZero ? [0] : []))
    }

    private static func validate(_ sigmas: [Scalar]) throws(ScheduleError) {
        guard !sigmas.isEmpty else { throw .empty }
        for (i, s) in sigmas.enumerated() {
            guard s.isFinite else { throw .nonFinite(index: i) }
            guard s >= 0 else { throw .negative(index: i) }
        }
        guard sigmas[0] > 0 else { throw .startsAtZero }
        for i in sigmas.indices.dropFirst() where !(sigmas[i] < sigmas[i - 1]) {
            throw .notStrictlyDescending(index: i, previous: Double(sigmas[i - 1]), value: Double(sigmas[i]))
        }
    }
}

extension Schedule: Codable {
    /// Encoded as the plain array of σ.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(sigmas)
    }

    /// Decodes an array of σ and validates it like `init(sigmas:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(sigmas: container.decode([Scalar].self))
        } catch let error as ScheduleError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }
}
