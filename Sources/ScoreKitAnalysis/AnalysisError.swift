/// Why an analysis could not run. Bad input never traps: it ends up here, as one clear line.
public indirect enum AnalysisError: Error, Equatable, CustomStringConvertible {
    /// A trajectory or data set too short, empty or of the wrong shape for the measurement.
    case invalidInput(String)
    /// An option out of its range (a threshold, a step count, a tolerance, …).
    case invalidArgument(String)
    /// A denoiser, sampler or LAPACK call failed underneath.
    case underlying(String)

    public var description: String {
        switch self {
        case .invalidInput(let why): return "invalid input: \(why)"
        case .invalidArgument(let why): return "invalid argument: \(why)"
        case .underlying(let why): return why
        }
    }

    /// Runs `body`, turning any error that is not already an `AnalysisError` into `.underlying`.
    static func wrapping<T>(_ body: () throws -> T) throws(AnalysisError) -> T {
        do { return try body() } catch let error as AnalysisError { throw error } catch { throw .underlying("\(error)") }
    }
}
