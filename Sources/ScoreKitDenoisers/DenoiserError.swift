/// Why an analytic denoiser could not be built or evaluated. Bad input never traps: it ends up here.
public indirect enum DenoiserError: Error, Equatable, CustomStringConvertible {
    /// The input batch has `got` columns but the model lives in `expected` dimensions.
    case dimensionMismatch(expected: Int, got: Int)
    /// σ must be finite and positive.
    case invalidSigma(Double)
    /// The input batch holds NaN or ±∞.
    case nonFiniteInput
    /// A data set or training set with no rows (or no columns).
    case emptyTrainingSet
    /// Training data or parameters hold NaN or ±∞.
    case nonFiniteParameters(String)
    /// Mixture or sample weights that are negative, non-finite or do not sum to 1.
    case invalidWeights(String)
    /// A covariance that is not square, not symmetric or not positive semi-definite.
    case invalidCovariance(String)
    /// Parameter arrays whose shapes do not fit together.
    case shapeMismatch(String)
    /// An option out of its range (a rank, a chunk size, a number of components, …).
    case invalidArgument(String)
    /// An iterative fit that could not continue (e.g. a non-finite log-likelihood).
    case fitFailed(String)
    /// A problem in mixture component `index`.
    case component(index: Int, DenoiserError)
    /// LAPACK or another numerical routine failed.
    case numerics(NumericsError)

    public var description: String {
        switch self {
        case .dimensionMismatch(let expected, let got):
            return "input points have \(got) coordinates but the model is \(expected)-dimensional"
        case .invalidSigma(let s): return "noise level σ must be finite and positive (got \(s))"
        case .nonFiniteInput: return "input batch contains NaN or infinity"
        case .emptyTrainingSet: return "the training set is empty"
        case .nonFiniteParameters(let what): return "\(what) contains NaN or infinity"
        case .invalidWeights(let why): return "invalid weights: \(why)"
        case .invalidCovariance(let why): return "invalid covariance: \(why)"
        case .shapeMismatch(let why): return "shape mismatch: \(why)"
        case .invalidArgument(let why): return "invalid argument: \(why)"
        case .fitFailed(let why): return "fit failed: \(why)"
        case .component(let index, let error): return "mixture component \(index): \(error)"
        case .numerics(let error): return error.description
        }
    }
}
