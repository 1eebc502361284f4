/// The geometry of one polyline p_0, …, p_{T−1} in ℝ^d (one sample's path), after Chen et al.
/// (papers.md §2.2 O1 and §2.4). Computed in Double whatever the sampler's precision.
///
/// Definitions (the chord runs from the start p_0 = x_T to the end p_{T−1} = x_0):
/// * **deviation** of p_n [V diff-analyzer `cal_deviation`]: the distance of p_n from the line
///   through the chord, `‖(p_end − p_n) − ((p_end − p_n)·u) u‖` with `u = (p_end − p_0)/‖p_end − p_0‖`,
///   divided by the chord length `‖p_end − p_0‖` (0 when the chord is degenerate);
/// * **turning angle** at p_n (0 < n < T−1) [I]: `arccos(⟨Δ_{n−1}, Δ_n⟩/(|Δ_{n−1}||Δ_n|))` with
///   `Δ_n = p_{n+1} − p_n`; a zero-length step has no direction and contributes angle 0;
///   **total turning** is their sum (the discrete total curvature of the polyline);
/// * **discrete curvature** at p_n [I]: `2 sin(angle)/‖p_{n+1} − p_{n−1}‖`, the inverse radius of the
///   circle through p_{n−1}, p_n, p_{n+1} (0 when degenerate);
/// * **principal-component shares** [I, §2.4 "low-dimensionality"]: the fraction of the total
///   variance of the T centred points carried by the top 1, 2 and 3 principal components
///   (eigenvalues of the smaller of the d × d covariance and the T × T Gram matrix, LAPACK `syevd`).
public struct PathGeometry: Codable, Sendable, Equatable {
    /// Deviation of every point from the chord, normalised by the chord length (T values; the
    /// first and last are 0).
    public let deviation: [Double]
    /// ‖p_end − p_0‖.
    public let chordLength: Double
    /// Turning angles in radians at the interior points (T − 2 values).
    public let turningAngles: [Double]
    /// Discrete curvature at the interior points (T − 2 values).
    public let curvature: [Double]
    /// Cumulative variance shares of the top 1, 2 and 3 principal components.
    public let principalShares: [Double]

    /// The largest normalised deviation.
    public var maxDeviation: Double { deviation.max() ?? 0 }
    /// The mean normalised deviation over the interior points.
    public var meanDeviation: Double {
        deviation.count > 2 ? deviation.dropFirst().dropLast().reduce(0, +) / Double(deviation.count - 2) : 0
    }
    /// Σ turning angles (radians).
    public var totalTurning: Double { turningAngles.reduce(0, +) }

    /// Measures the path whose points are the rows of `points` (T × d, T ≥ 2).
    public init(points: Matrix<Double>) throws(AnalysisError) {
        let t = points.rows
        guard t >= 2 && points.columns >= 1 else {
            throw .invalidInput("a path needs at least 2 points in at least 1 dimension (got \(t)×\(points.columns))")
        }
        guard points.isFinite else { throw .invalidInput("the path contains NaN or infinity") }
        let p = (0..<t).map { Array(points.row($0)) }
        let end = p[t - 1]
        let chord = difference(end, p[0])
        let length = norm(chord)
        let u = length > 0 ? chord.map { $0 / length } : chord
        chordLength = length
        deviation = p.map { point in
            guard length > 0 else { return 0 }
            let toEnd = difference(end, point)
            let along = dot(toEnd, u)
            return norm(zip(toEnd, u).map { $0 - along * $1 }) / length
        }
        let steps = (0..<(t - 1)).map { difference(p[$0 + 1], p[$0]) }
        var angles = [Double](), curvatures = [Double]()
        for n in 1..<max(1, t - 1) {
            let (a, b) = (steps[n - 1], steps[n])
            let (na, nb) = (norm(a), norm(b))
            let angle = na > 0 && nb > 0 ? Double.acos(min(1, max(-1, dot(a, b) / (na * nb)))) : 0
            let span = norm(difference(p[n + 1], p[n - 1]))
            angles.append(angle)
            curvatures.append(span > 0 ? 2 * Double.sin(angle) / span : 0)
        }
        turningAngles = angles
        curvature = curvatures
        principalShares = try principalComponentShares(points, count: 3)
    }
}

/// The cumulative shares of total variance explained by the top `count` principal components of
/// the rows of `points` (through LAPACK `syevd` of the smaller Gram/covariance matrix). A set of
/// identical points has no variance: every share is then 1 (nothing is left unexplained).
func principalComponentShares(_ points: Matrix<Double>, count: Int) throws(AnalysisError) -> [Double] {
    let centred = points.addingToRows(points.columnMeans().map { -$0 })
    let small = points.rows <= points.columns
        ? Matrix.product(centred, centred, transposeB: true)
        : Matrix.product(centred, transposeA: true, centred)
    let eigen: SymmetricEigendecomposition<Double>
    do { eigen = try small.symmetricEigen() } catch { throw .underlying("PCA of a path: \(error)") }
    let values = eigen.values.reversed().map { max($0, 0) }
    let total = values.reduce(0, +)
    guard total > 0 else { return [Double](repeating: 1, count: count) }
    var running = 0.0
    return (0..<count).map { k in
        if k < values.count { running += values[k] }
        return min(1, running / total)
    }
}

func difference(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 - $1 } }
func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
