/// A schedule to compare, under the name it is reported with.
public struct LabelledSchedule: Codable, Sendable, Equatable {
    public let label: String
    public let kind: ScheduleKind
    public init(_ label: String, _ kind: ScheduleKind) {
        self.label = label
        self.kind = kind
    }
}

/// Sampling error of one schedule at one injected error size, against the number of steps.
public struct ScheduleErrorCurve: Codable, Sendable, Equatable {
    public let schedule: String
    public let delta: Double
    public let steps: [Int]
    /// RMS per coordinate, `√(mean_b ‖x_b − x_b^ref‖² / d)`.
    public let error: [Double]
}

/// Where two schedules' error curves cross (at one δ): between two tested step counts, found by
/// linear interpolation of log(error_a / error_b) in log N.
public struct ScheduleCrossover: Codable, Sendable, Equatable {
    public let delta: Double
    public let first: String
    public let second: String
    public let steps: Double
    /// The schedule with the smaller error just above the crossing.
    public let betterAbove: String
}

/// Wang, He & Tao's schedule comparison (papers.md §3.2 sampling-error shape, §3.4 T2–T3) made
/// deterministic: the final samples of a sampler on each schedule and step count, with an
/// injected score error `PerturbedDenoiser(δ)`, are compared with a tight-tolerance `rk45`
/// solve of the **unperturbed** PF-ODE from the same start `x_T = σ_max z` over the same
/// [σ_min, σ_max] (then D at σ_min, the last step of every schedule ending in 0). So the error
/// holds the discretisation error (E_D) and the score error's effect (E_S); E_I is 0 by design.
/// Theory predicts geometric (exponential) grids win at δ = 0 and polynomial (Karras) grids
/// win once δ dominates: `crossovers` locates the change at each δ.
public struct ScheduleErrorStudy: Codable, Sendable, Equatable {
    public let sampler: String
    public let perturbation: String
    public let curves: [ScheduleErrorCurve]
    public let crossovers: [ScheduleCrossover]

    /// - Parameters:
    ///   - denoiser: the exact (well-trained) denoiser.
    ///   - starts: standard-normal z, B × d (scaled by each schedule's σ_max here).
    ///   - steps: the step counts N ≥ 1 to test (ascending).
    ///   - deltas: injected error sizes δ ≥ 0.
    ///   - reference: the rk45 options (default rtol = atol = 1e-10).
    public init<D: Denoiser>(denoiser: D, sampler: SamplerName, schedules: [LabelledSchedule], steps: [Int],
                             deltas: [Double], perturbation: PerturbedDenoiser<D>.Kind = .constant, seed: UInt64 = 0,
                             starts: Matrix<D.Scalar>,
                             reference: DormandPrinceOptions<D.Scalar> = .init(rtol: 1e-10, atol: 1e-10)) throws(AnalysisError) {
        guard !schedules.isEmpty, !deltas.isEmpty, !steps.isEmpty, steps.allSatisfy({ $0 >= 1 }) else {
            throw .invalidArgument("need schedules, error sizes and step counts ≥ 1")
        }
        guard starts.columns == denoiser.dimension, starts.rows >= 1, starts.isFinite else {
            throw .invalidInput("starts must be finite rows in the denoiser's \(denoiser.dimension) dimensions")
        }
        let sortedSteps = steps.sorted()
        var references = [[Double]: Matrix<D.Scalar>]()
        var curves = [ScheduleErrorCurve]()
        for delta in deltas {
            let model = try PerturbedDenoiser(denoiser, delta: D.Scalar(delta), kind: perturbation, seed: seed)
            for schedule in schedules {
                var errors = [Double]()
                for n in sortedSteps {
                    let sigmas: [D.Scalar] = try AnalysisError.wrapping { try schedule.kind.schedule(steps: n).sigmas }
                    guard let top = sigmas.first, let bottom = sigmas.last(where: { $0 > 0 }) else {
                        throw .invalidInput("schedule \(schedule.label) has no positive σ")
                    }
                    let x = starts * top
                    let key = [Double(top), Double(bottom)]
                    let target: Matrix<D.Scalar>
                    if let cached = references[key] {
                        target = cached
                    } else {
                        target = try Self.run(.reference(.rk45), denoiser, x, [top, bottom, 0],
                                              SamplerOptions(reference: ReferenceSamplerOptions(rk45: reference)), seed)
                        references[key] = target
                    }
                    let final = try Self.run(sampler, model, x, sigmas, SamplerOptions(), seed)
                    let squared = (final - target).converted(to: Double.self).rowSquaredNorms()
                    errors.append((mean(squared) / Double(denoiser.dimension)).squareRoot())
                }
                curves.append(ScheduleErrorCurve(schedule: schedule.label, delta: delta, steps: sortedSteps, error: errors))
            }
        }
        self.sampler = sampler.rawValue
        self.perturbation = perturbation.rawValue
        self.curves = curves
        crossovers = Self.crossovers(curves)
    }

    private static func run<M: Denoiser>(_ sampler: SamplerName, _ denoiser: M, _ x: Matrix<M.Scalar>, _ sigmas: [M.Scalar],
                                         _ options: SamplerOptions<M.Scalar>, _ seed: UInt64) throws(AnalysisError)
        -> Matrix<M.Scalar> {
        try AnalysisError.wrapping {
            var noise = try PerSampleNoiseSource<M.Scalar>(seed: seed, firstDraw: 1)
            return try sampler.sample(SamplingModel(denoiser), from: x, sigmas: sigmas, options: options, noise: &noise)
        }
    }

    /// Every sign change of log(error_a/error_b) between consecutive step counts, per δ and pair.
    static func crossovers(_ curves: [ScheduleErrorCurve]) -> [ScheduleCrossover] {
        var found = [ScheduleCrossover]()
        for (i, a) in curves.enumerated() {
            for b in curves[(i + 1)...] where b.delta == a.delta {
                let gap = zip(a.error, b.error).map { Double.log(max($0, 1e-300)) - Double.log(max($1, 1e-300)) }
                for n in 1..<max(1, gap.count) where gap[n - 1] * gap[n] < 0 {
                    let t = gap[n - 1] / (gap[n - 1] - gap[n])
                    let (l0, l1) = (Double.log(Double(a.steps[n - 1])), Double.log(Double(a.steps[n])))
                    found.append(ScheduleCrossover(delta: a.delta, first: a.schedule, second: b.schedule,
                                                   steps: Double.exp(l0 + t * (l1 - l0)),
                                                   betterAbove: gap[n] < 0 ? a.schedule : b.schedule))
                }
            }
        }
        return found
    }
}
