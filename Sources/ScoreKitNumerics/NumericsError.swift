/// Errors from the numerical core. Shape mismatches on library calls are programmer errors and
/// trap; these cover what depends on the data.
public enum NumericsError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(String)
    case notSymmetric(dimension: Int)
    case lapackFailure(routine: String, info: Int)
    case notPositiveDefinite(minorOrder: Int)

    public var description: String {
        switch self {
        case .shapeMismatch(let what): return "shape mismatch: \(what)"
        case .notSymmetric(let n): return "matrix of size \(n)×\(n) is not symmetric"
        case .lapackFailure(let routine, let info): return "LAPACK \(routine) failed (info = \(info))"
        case .notPositiveDefinite(let k): return "matrix is not positive definite (leading minor \(k) is not positive)"
        }
    }
}
