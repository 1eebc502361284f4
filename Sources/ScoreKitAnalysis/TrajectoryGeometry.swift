/// Chen et al.'s geometry of a recorded sampling run (papers.md §2.2 O1–O3, §2.4): every sample's
/// path measured by `PathGeometry`, and the sampling trajectory {x_n} compared with the denoising
/// trajectory {D_n = D(x_n; σ_n)} by their distance to the final sample.
///
/// Distances [V diff-analyzer `cal_distance`]: `‖x_n − x_final‖` and `‖D_n − x_final‖`, averaged
/// over the batch at each recorded σ. O3 ("the denoising trajectory converges faster") is
/// summarised by the largest σ at which each mean distance has dropped to `fraction` of the
/// starting sampling distance `mean ‖x_0 − x_final‖` (and stays below it afterwards) [I].
///
/// Direction [V diff-analyzer `cal_cos`]: the cosine between the step direction −ε_n ∝ D_n − x_n
/// and the direction to the end x_final − x_n, batch mean per step. A zero vector (at the end,
/// or where D = x) has no direction to disagree with and counts as cosine 1.
public struct TrajectoryGeometry: Codable, Sendable, Equatable {
    /// The recorded σ (T values, descending; the last is where the run ended, often 0).
    public let sigmas: [Double]
    /// Each sample's path geometry (B entries).
    public let paths: [PathGeometry]
    /// Batch mean of the normalised deviation at each step.
    public let meanDeviation: [Double]
    /// Batch mean of `‖x_n − x_final‖`.
    public let samplingDistanceToFinal: [Double]
    /// Batch mean of `‖D_n − x_final‖`.
    public let denoisingDistanceToFinal: [Double]
    /// Batch mean of `‖x_n‖` and `‖D_n‖` (Chen's norm proposition: ‖x_T‖ ≈ σ_T √d).
    public let samplingNorm: [Double]
    public let denoisingNorm: [Double]
    /// Batch mean of cos(D_n − x_n, x_final − x_n).
    public let cosineToFinal: [Double]
    /// The fraction used for the convergence σ below.
    public let convergenceFraction: Double
    /// The largest σ from which on the sampling (resp. denoising) mean distance to the final
    /// sample stays ≤ `convergenceFraction × samplingDistanceToFinal[0]`.
    public let samplingConvergenceSigma: Double
    public let denoisingConvergenceSigma: Double

    /// Means over samples of the per-path summaries.
    public var meanMaxDeviation: Double { mean(paths.map(\.maxDeviation)) }
    public var meanTotalTurning: Double { mean(paths.map(\.totalTurning)) }
    /// Mean cumulative shares of the top 1, 2, 3 principal components.
    public var meanPrincipalShares: [Double] { (0..<3).map { k in mean(paths.map { $0.principalShares[k] }) } }

    /// - Parameters:
    ///   - record: a trajectory with T ≥ 2 states of B ≥ 1 samples.
    ///   - convergenceFraction: in (0, 1); 0.1 by default.
    public init<Scalar>(_ record: TrajectoryRecord<Scalar>, convergenceFraction: Double = 0.1) throws(AnalysisError) {
        let (t, b, d) = (record.x.count, record.rows, record.columns)
        guard t >= 2, b >= 1, d >= 1, record.denoised.count == t, record.sigmas.count == t else {
            throw .invalidInput("a trajectory needs ≥ 2 recorded states with matching σ and D (got \(t) states)")
        }
        guard convergenceFraction > 0 && convergenceFraction < 1 else {
            throw .invalidArgument("the convergence fraction must lie in (0, 1) (got \(convergenceFraction))")
        }
        let x = record.x.map { $0.converted(to: Double.self) }
        let denoised = record.denoised.map { $0.converted(to: Double.self) }
        var paths = [PathGeometry]()
        for sample in 0..<b {
            let points = Matrix<Double>(rows: t, columns: d) { n, j in x[n][sample, j] }
            paths.append(try PathGeometry(points: points))
        }
        let final = x[t - 1]
        func meanRowDistance(_ m: Matrix<Double>) -> Double { mean((m - final).rowSquaredNorms().map { $0.squareRoot() }) }
        let sigmas = record.sigmas.map { Double($0) }
        self.sigmas = sigmas
        self.paths = paths
        meanDeviation = (0..<t).map { n in mean(paths.map { $0.deviation[n] }) }
        samplingDistanceToFinal = x.map(meanRowDistance)
        denoisingDistanceToFinal = denoised.map(meanRowDistance)
        samplingNorm = x.map { mean($0.rowSquaredNorms().map { $0.squareRoot() }) }
        denoisingNorm = denoised.map { mean($0.rowSquaredNorms().map { $0.squareRoot() }) }
        cosineToFinal = (0..<t).map { n in
            mean((0..<b).map { r in
                cosine(difference(Array(denoised[n].row(r)), Array(x[n].row(r))),
                       difference(Array(final.row(r)), Array(x[n].row(r))))
            })
        }
        self.convergenceFraction = convergenceFraction
        let threshold = convergenceFraction * samplingDistanceToFinal[0]
        samplingConvergenceSigma = convergenceSigma(samplingDistanceToFinal, sigmas, below: threshold)
        denoisingConvergenceSigma = convergenceSigma(denoisingDistanceToFinal, sigmas, below: threshold)
    }
}

/// The σ of the first index from which every later distance is ≤ `threshold` (the last σ if only
/// the end qualifies).
private func convergenceSigma(_ distances: [Double], _ sigmas: [Double], below threshold: Double) -> Double {
    var first = distances.count - 1
    while first > 0 && distances[first - 1] <= threshold { first -= 1 }
    return sigmas[first]
}

/// cos(a, b), or 1 when either vector is zero.
private func cosine(_ a: [Double], _ b: [Double]) -> Double {
    let (na, nb) = (norm(a), norm(b))
    return na > 0 && nb > 0 ? min(1, max(-1, dot(a, b) / (na * nb))) : 1
}

func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
