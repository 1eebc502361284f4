/// Why a metric could not be computed from the given data. Each case prints as one line.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    /// Two point sets (or a set and the mixture) live in different dimensions.
    case dimensionMismatch(what: String, expected: Int, found: Int)
    /// A set has fewer points than the metric needs (e.g. 2 for a U-statistic or a covariance).
    case tooFewSamples(what: String, count: Int, required: Int)
    /// A set holds NaN or ±∞.
    case nonFinite(what: String)
    /// The Gaussian-mixture parameters are inconsistent (shapes, weights, covariances).
    case invalidMixture(String)
    /// A parameter of the metric itself is out of range.
    case invalidParameter(String)
    /// LAPACK failed on data that passed validation.
    case numerics(String)

    public var description: String {
        switch self {
        case .dimensionMismatch(let what, let expected, let found):
            return "dimension mismatch: \(what) has dimension \(found), expected \(expected)"
        case .tooFewSamples(let what, let count, let required):
            return "too few samples: \(what) has \(count) point\(count == 1 ? "" : "s"), at least \(required) needed"
        case .nonFinite(let what): return "\(what) contains NaN or infinite values"
        case .invalidMixture(let why): return "invalid Gaussian mixture: \(why)"
        case .invalidParameter(let why): return "invalid metric parameter: \(why)"
        case .numerics(let why): return "numerical failure: \(why)"
        }
    }
}

/// Input checks shared by every metric: bad data becomes a `MetricsError`, never a trap.
enum Validate {
    /// Throws unless `x` has at least `minimum` rows, `columns` ≥ 1 and only finite values.
    static func points<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ what: String, minimum: Int
    ) throws(MetricsError) {
        guard x.rows >= minimum else { throw .tooFewSamples(what: what, count: x.rows, required: minimum) }
        guard x.columns >= 1 else { throw .dimensionMismatch(what: what, expected: 1, found: 0) }
        guard x.isFinite else { throw .nonFinite(what: what) }
    }

    /// Throws unless `other` has the dimension of `reference`.
    static func sameDimension<Scalar: MatrixScalar>(
        _ other: Matrix<Scalar>, _ what: String, as reference: Matrix<Scalar>
    ) throws(MetricsError) {
        guard other.columns == reference.columns else {
            throw .dimensionMismatch(what: what, expected: reference.columns, found: other.columns)
        }
    }
}
