/// Errors from training and checkpoints; each renders as one line naming what is wrong.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// Settings that cannot train (non-positive batch, σ_min ≥ σ_max, …).
    case invalidConfiguration(String)
    /// Training data that cannot be used (empty, non-finite, wrong dimension).
    case invalidData(String)
    /// A network-layer or optimizer error.
    case network(NNError)
    /// A file could not be read or written.
    case io(IOError)
    /// A checkpoint file that is not a valid ScoreKit checkpoint (truncated, missing tensors or metadata).
    case corruptCheckpoint(path: String, reason: String)
    /// A valid checkpoint that does not fit this run (other data, precision or settings).
    case incompatibleCheckpoint(String)
    /// The loss or the gradient became NaN or infinite.
    case nonFiniteLoss(step: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let what): return "invalid training configuration: \(what)"
        case .invalidData(let what): return "invalid training data: \(what)"
        case .network(let error): return error.description
        case .io(let error): return error.description
        case .corruptCheckpoint(let path, let reason): return "\(path): not a valid ScoreKit checkpoint: \(reason)"
        case .incompatibleCheckpoint(let what): return "checkpoint does not match this run: \(what)"
        case .nonFiniteLoss(let step): return "the loss became NaN or infinite at step \(step)"
        }
    }
}

/// Runs `body`, turning NN errors into `TrainingError.network`.
@inline(__always) func wrappingNN<T>(_ body: () throws(NNError) -> T) throws(TrainingError) -> T {
    do { return try body() } catch { throw .network(error) }
}
