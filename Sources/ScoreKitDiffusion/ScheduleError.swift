/// Why a noise schedule could not be built. One line each, naming the offending value.
public enum ScheduleError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The number of steps (nonzero σ) must be at least 1.
    case invalidStepCount(Int)
    /// A parameter is NaN, infinite or outside its domain; `requirement` says what it must be.
    case invalidParameter(name: String, value: Double, requirement: String)
    /// σ_min must not exceed σ_max.
    case invalidRange(sigmaMin: Double, sigmaMax: Double)
    /// An explicit list was empty.
    case empty
    /// σ at `index` is NaN or infinite.
    case nonFinite(index: Int)
    /// σ at `index` is negative.
    case negative(index: Int)
    /// The first σ is 0, so there is no noise to remove.
    case startsAtZero
    /// σ at `index` is not strictly smaller than the one before it (a repeat or an increase,
    /// e.g. σ_min = σ_max with more than one step, or values that collapse when rounded to Float).
    case notStrictlyDescending(index: Int, previous: Double, value: Double)
    /// The schedule name is not one of `ScheduleName`.
    case unknownName(String)
    /// A schedule kind needs a parameter that was not given (e.g. the list of an explicit schedule).
    case missingParameter(String)

    public var description: String {
        switch self {
        case .invalidStepCount(let n):
            return "the number of steps must be at least 1 (got \(n))"
        case .invalidParameter(let name, let value, let requirement):
            return "\(name) must be \(requirement) (got \(value))"
        case .invalidRange(let lo, let hi):
            return "sigma_min (\(lo)) must not exceed sigma_max (\(hi))"
        case .empty:
            return "the sigma schedule is empty"
        case .nonFinite(let i):
            return "sigma \(i) of the schedule is not finite"
        case .negative(let i):
            return "sigma \(i) of the schedule is negative"
        case .startsAtZero:
            return "the sigma schedule starts at 0"
        case .notStrictlyDescending(let i, let previous, let value):
            return "sigmas must be strictly decreasing, but sigma \(i) = \(value) follows \(previous)"
        case .unknownName(let name):
            return "unknown schedule '\(name)' (known: \(ScheduleName.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .missingParameter(let name):
            return "the schedule needs \(name)"
        }
    }
}
