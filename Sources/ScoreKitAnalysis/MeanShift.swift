/// Gaussian-kernel mean shift (Comaniciu & Meer 2002) of a point set, computed directly:
///
///     m_h(x) = Σ_i k_i y_i / Σ_i k_i,   k_i = exp(−‖x − y_i‖²/(2h²)),
///
/// with explicit per-pair distances (not the Gram form) and max-subtraction, so it is an
/// independent computation of the optimal empirical denoiser (papers.md §2.2 "Mean-shift link":
/// D*(x; σ) = m_σ(x)). Also returns the kernel density's log, up to the constant −log N − (d/2) log 2πh².
func meanShift(_ x: Matrix<Double>, data y: Matrix<Double>, bandwidth h: Double) -> (shifted: Matrix<Double>, logKernelSum: [Double]) {
    var shifted = Matrix<Double>(rows: x.rows, columns: x.columns)
    var logSums = [Double](repeating: 0, count: x.rows)
    for b in 0..<x.rows {
        let logits = (0..<y.rows).map { i in
            -zip(x.row(b), y.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / (2 * h * h)
        }
        let top = logits.max() ?? 0
        let weights = logits.map { Double.exp($0 - top) }
        let total = weights.reduce(0, +)
        logSums[b] = top + Double.log(total)
        for j in 0..<x.columns {
            shifted[b, j] = (0..<y.rows).reduce(0) { $0 + weights[$1] * y[$1, j] } / total
        }
    }
    return (shifted, logSums)
}

/// Chen et al.'s mean-shift reading of sampling with the optimal empirical denoiser, checked
/// along a recorded trajectory (papers.md §2.2 "Mean-shift link" and "monotone likelihood",
/// oracles 3 and 5 of §5):
/// * `denoiserResidual[n]`: max |D_n − m_{σ_n}(x_n)|, the recorded denoiser output against one
///   Gaussian mean-shift step of bandwidth σ_n (0 up to rounding for the exact empirical denoiser);
/// * `partialStepResidual[n]`: max |x_{n+1} − (x_n + η_n (m_{σ_n}(x_n) − x_n))| with
///   η_n = 1 − σ_{n+1}/σ_n: an Euler step is a partial mean-shift step (0 up to rounding for
///   `euler` with the empirical denoiser);
/// * `logDensityIncrease[n]`: min over the batch of log p̂_{σ_n}(x_{n+1}) − log p̂_{σ_n}(x_n) for the
///   KDE p̂_h ∝ Σ_i exp(−‖x − y_i‖²/2h²), ≥ 0 for every Euler step (η ∈ (0, 1]).
/// Steps with σ_n = 0 have no kernel and are skipped (`sigmas` lists the σ_n used).
public struct MeanShiftCheck: Codable, Sendable, Equatable {
    public let sigmas: [Double]
    public let denoiserResidual: [Double]
    public let partialStepResidual: [Double]
    public let logDensityIncrease: [Double]

    /// - Parameters:
    ///   - record: a trajectory sampled with (a model of) the empirical denoiser of `data`.
    ///   - data: the N × d training set.
    public init<Scalar>(_ record: TrajectoryRecord<Scalar>, data: Matrix<Scalar>) throws(AnalysisError) {
        guard record.x.count >= 2, record.columns == data.columns, data.rows >= 1 else {
            throw .invalidInput("need a trajectory of ≥ 2 states in the data's \(data.columns) dimensions")
        }
        let y = data.converted(to: Double.self)
        var sigmas = [Double](), residuals = [Double](), partial = [Double](), increases = [Double]()
        for n in 0..<(record.x.count - 1) {
            let sigma = Double(record.sigmas[n]), next = Double(record.sigmas[n + 1])
            guard sigma > 0 else { continue }
            let x = record.x[n].converted(to: Double.self), xNext = record.x[n + 1].converted(to: Double.self)
            let (m, logBefore) = meanShift(x, data: y, bandwidth: sigma)
            let (_, logAfter) = meanShift(xNext, data: y, bandwidth: sigma)
            let eta = 1 - next / sigma
            sigmas.append(sigma)
            residuals.append((record.denoised[n].converted(to: Double.self) - m).maxAbs())
            partial.append((xNext - x.linearCombination(1 - eta, eta, m)).maxAbs())
            increases.append(zip(logAfter, logBefore).map { $0 - $1 }.min() ?? 0)
        }
        self.sigmas = sigmas
        denoiserResidual = residuals
        partialStepResidual = partial
        logDensityIncrease = increases
    }
}
