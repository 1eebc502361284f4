/// Basins of attraction by integration (papers.md §1.4 "Convergence", §1.5 K1): each start is
/// carried along dx/dτ = f(x) by classical RK4 with a fixed step dτ (for f* near data the field's
/// rate is 1/σ_min, so RK4 is stable for dτ ≲ 2.7 σ_min) until every state lies within
/// `captureRadius` of a stable equilibrium, or `maxSteps` steps have run. Each endpoint is
/// assigned to the nearest equilibrium within `captureRadius` (of any stability), else left
/// unassigned (index −1).
public struct BasinSizes: Codable, Sendable, Equatable {
    /// Per equilibrium (in the order given), how many starts ended there.
    public let counts: [Int]
    /// Starts that ended near none.
    public let unassigned: Int
    /// Per start, the equilibrium index or −1.
    public let assignment: [Int]
    /// The τ integrated (steps × dτ).
    public let horizon: Double

    /// Shares of all starts per equilibrium.
    public var fractions: [Double] {
        let total = Double(assignment.count)
        return counts.map { Double($0) / total }
    }

    public init<Scalar>(_ field: VectorField<Scalar>, equilibria: [Equilibrium], starts: Matrix<Scalar>,
                        step: Double, maxSteps: Int, captureRadius: Double) throws(AnalysisError) {
        guard starts.columns == field.dimension, starts.rows >= 1, starts.isFinite else {
            throw .invalidInput("starts must be finite rows in the field's \(field.dimension) dimensions")
        }
        guard step > 0 && step.isFinite, maxSteps >= 1, captureRadius > 0 else {
            throw .invalidArgument("basins need dτ > 0, maxSteps ≥ 1 and a capture radius > 0")
        }
        let targets = equilibria.map { Matrix<Scalar>(row: $0.point.map { Scalar($0) }) }
        let stable = equilibria.indices.filter { equilibria[$0].stability == .stable }
        func nearest(_ x: Matrix<Scalar>, among indices: [Int]) -> [Int] {
            (0..<x.rows).map { r in
                let row = Array(x.row(r))
                let best = indices.map { ($0, distance(row, Array(targets[$0].scalars))) }.min { $0.1 < $1.1 }
                guard let best, best.1 <= captureRadius else { return -1 }
                return best.0
            }
        }
        let h = Scalar(step)
        var x = starts
        var steps = 0
        while steps < maxSteps {
            let k1 = try field(x)
            let k2 = try field(x.linearCombination(1, h / 2, k1))
            let k3 = try field(x.linearCombination(1, h / 2, k2))
            let k4 = try field(x.linearCombination(1, h, k3))
            x.axpy(h / 6, k1); x.axpy(h / 3, k2); x.axpy(h / 3, k3); x.axpy(h / 6, k4)
            steps += 1
            guard x.isFinite else { throw .underlying("RK4 in τ diverged after \(steps) steps; use a smaller dτ") }
            if steps % 10 == 0 && !stable.isEmpty && !nearest(x, among: stable).contains(-1) { break }
        }
        let assigned = nearest(x, among: Array(equilibria.indices))
        assignment = assigned
        counts = equilibria.indices.map { k in assigned.filter { $0 == k }.count }
        unassigned = assigned.filter { $0 < 0 }.count
        horizon = Double(steps) * step
    }
}
