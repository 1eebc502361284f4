/// A sampling run's trajectory in DESIGN.md's `.npz` layout: `sigmas` (T), `x` (T × B × d),
/// `denoised` (T × B × d) and `nfe`.
///
/// T includes the final output, like k-diffusion's oracle `_traj.npy`: entries 0 ..< T − 1 are the
/// states at the start of each step (at σ̂, the churned σ, when churn is on) with D there, and
/// entry T − 1 is the returned state at the σ it ends at. When that is 0 its `denoised` is the
/// state itself, D(x; 0) = x.
public struct TrajectoryRecord<Scalar: MatrixScalar>: Codable, Sendable, Equatable {
    public let sigmas: [Scalar]
    public let x: [Matrix<Scalar>]
    public let denoised: [Matrix<Scalar>]
    public let nfe: Int

    /// Batch size B and dimension d of every state.
    public var rows: Int { x.first?.rows ?? 0 }
    public var columns: Int { x.first?.columns ?? 0 }

    /// `x` as one row-major T × B × d array (the `.npz` member).
    public var xTensor: [Scalar] { x.flatMap(\.scalars) }
    /// `denoised` as one row-major T × B × d array.
    public var denoisedTensor: [Scalar] { denoised.flatMap(\.scalars) }
}

public enum TrajectoryError: Error, Equatable, CustomStringConvertible {
    case missingFinalDenoised(sigma: Double)
    case shapeChanged(String)

    public var description: String {
        switch self {
        case .missingFinalDenoised(let s):
            return "the trajectory ends at σ = \(s) > 0 on a state no step reported; pass D of that state"
        case .shapeChanged(let why): return "trajectory states change shape: \(why)"
        }
    }
}
