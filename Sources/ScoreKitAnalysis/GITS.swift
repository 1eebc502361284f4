/// GITS: a time schedule of K steps chosen from a fine teacher grid by dynamic programming
/// (Chen et al., ICML'24; papers.md §2.3 [V gits_utils.py]).
///
/// **Cost** (metric `l2`): for teacher grid points i < j,
///
///     c[i][j] = mean_b ‖x_i + (t_j − t_i) d_i − x_j‖,   d_i = (x_i − D(x_i; t_i))/t_i,
///
/// the local truncation error of one Euler step from t_i to t_j started on the teacher trajectory
/// and measured against it (the teacher's x and D come from its record; grid points with t = 0
/// are dropped, so the grid ends at σ_min as in GITS).
///
/// **DP** with coefficient `coeff` (GITS default 1.15) over the M teacher points:
///
///     V[i][1] = c[i][M−1];   V[j][k] = min_{j < i < M−1} c[j][i] + coeff · V[i][k−1],
///
/// i.e. a path 0 = i_0 < … < i_K = M−1 costs Σ_m coeff^m c[i_m][i_{m+1}]: later steps weigh more,
/// since their errors have less time to be damped. Backtracking from 0 takes the first (smallest)
/// minimising i, as GITS does.
public struct GITSSchedule: Codable, Sendable, Equatable {
    /// The teacher grid (positive σ, descending).
    public let teacherSigmas: [Double]
    public let coefficient: Double
    /// Chosen teacher indices, from 0 to M − 1 (K + 1 values).
    public let indices: [Int]
    /// The schedule: the chosen σ followed by 0, ready for any sampler.
    public let sigmas: [Double]
    /// V[0][K], the minimal weighted cost.
    public let cost: Double

    /// Searches a K-step schedule on the teacher run's grid.
    public init<Scalar>(teacher: TrajectoryRecord<Scalar>, steps: Int, coefficient: Double = 1.15) throws(AnalysisError) {
        let (sigmas, cost) = try GITS.costMatrix(teacher)
        let (indices, value) = try GITS.search(cost: cost, steps: steps, coefficient: coefficient)
        teacherSigmas = sigmas
        self.coefficient = coefficient
        self.indices = indices
        self.sigmas = indices.map { sigmas[$0] } + [0]
        self.cost = value
    }
}

public enum GITS {
    /// The teacher grid (σ > 0 entries of the record) and the M × M cost matrix (0 on and below
    /// the diagonal).
    public static func costMatrix<Scalar>(_ teacher: TrajectoryRecord<Scalar>) throws(AnalysisError)
        -> (sigmas: [Double], cost: [[Double]]) {
        let kept = teacher.sigmas.indices.filter { teacher.sigmas[$0] > 0 }
        guard kept.count >= 2, teacher.denoised.count == teacher.x.count else {
            throw .invalidInput("a GITS teacher needs at least 2 recorded states at σ > 0")
        }
        let t = kept.map { Double(teacher.sigmas[$0]) }
        let x = kept.map { teacher.x[$0].converted(to: Double.self) }
        let direction = kept.indices.map { i in
            x[i].linearCombination(1 / t[i], -1 / t[i], teacher.denoised[kept[i]].converted(to: Double.self))
        }
        let m = kept.count
        var cost = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for i in 0..<m {
            for j in (i + 1)..<m {
                var jumped = x[i]
                jumped.axpy(t[j] - t[i], direction[i])
                cost[i][j] = mean((jumped - x[j]).rowSquaredNorms().map { $0.squareRoot() })
            }
        }
        return (t, cost)
    }

    /// The DP above on any M × M cost matrix (only i < j is read); returns the K + 1 indices from
    /// 0 to M − 1 and V[0][K].
    public static func search(cost: [[Double]], steps k: Int, coefficient: Double = 1.15) throws(AnalysisError)
        -> (indices: [Int], cost: Double) {
        let m = cost.count
        guard m >= 2, cost.allSatisfy({ $0.count == m }) else { throw .invalidInput("the cost matrix must be square with M ≥ 2") }
        guard k >= 1 && k <= m - 1 else { throw .invalidArgument("a schedule on \(m) teacher points has 1…\(m - 1) steps (got \(k))") }
        guard coefficient.isFinite && coefficient > 0 else { throw .invalidArgument("the coefficient must be finite and > 0") }
        guard cost.joined().allSatisfy({ $0.isFinite }) else { throw .invalidInput("the cost matrix contains NaN or infinity") }
        let last = m - 1
        // value[s][i]: best cost from i to the end in s steps; next[s][i]: the minimising successor.
        var value = [[Double]](repeating: [Double](repeating: .infinity, count: m), count: k + 1)
        var next = [[Int]](repeating: [Int](repeating: -1, count: m), count: k + 1)
        for i in 0..<last {
            value[1][i] = cost[i][last]
            next[1][i] = last
        }
        if k >= 2 {
            for s in 2...k {
                for j in 0..<last {
                    for i in (j + 1)..<last where value[s - 1][i].isFinite {
                        let candidate = cost[j][i] + coefficient * value[s - 1][i]
                        if candidate < value[s][j] { (value[s][j], next[s][j]) = (candidate, i) }
                    }
                }
            }
        }
        var path = [0]
        var w = 0
        for s in stride(from: k, through: 1, by: -1) {
            w = next[s][w]
            path.append(w)
        }
        return (path, value[k][0])
    }
}
