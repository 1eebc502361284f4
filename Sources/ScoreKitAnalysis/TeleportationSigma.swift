/// The smallest σ down to which a Gaussian (or any candidate) denoiser still explains at least
/// `threshold` of a reference denoiser (pooled EV, `ExplainedVariance`) at every σ above it: the
/// lowest safe end point σ_skip of analytical teleportation from σ_max (Wang & Vastola, papers.md
/// §4.1–4.2 and W4: "the knee should sit where the Gaussian Dt_EV drops below ~0.99").
///
/// Method [I]: scan `grid` from its largest σ downwards; at the first grid σ whose EV falls below
/// the threshold, bisect in log σ between it and the previous (passing) grid point, on the same
/// seeded noised points, and report the passing end of the final bracket. The scan assumes EV
/// decreases as σ falls (true of the Gaussian against data); only the first crossing is found.
public struct TeleportationSigma: Codable, Sendable, Equatable {
    public let threshold: Double
    /// The grid (descending) and the pooled EV at each grid point.
    public let grid: [Double]
    public let gridExplainedVariance: [Double]
    /// The safe σ_skip; nil when even the largest grid σ fails.
    public let sigma: Double?
    /// True when no grid σ fails: the candidate is good down to the smallest grid σ and `sigma` is
    /// that σ (the true crossing, if any, lies below the grid).
    public let belowGrid: Bool

    /// - Parameters:
    ///   - grid: σ values > 0 (any order; sorted descending here).
    ///   - threshold: in (0, 1]; 0.99 by default.
    ///   - bisectionSteps: halvings of the bracket in log σ (30 gives relative precision ~1e-9 per decade).
    public init<Scalar>(reference: any Denoiser<Scalar>, candidate: any Denoiser<Scalar>, points: NoisedData<Scalar>,
                        grid: [Scalar], threshold: Double = 0.99, bisectionSteps: Int = 30) throws(AnalysisError) {
        guard threshold > 0 && threshold <= 1 else { throw .invalidArgument("the threshold must lie in (0, 1] (got \(threshold))") }
        guard bisectionSteps >= 0 else { throw .invalidArgument("bisection steps must be ≥ 0") }
        guard !grid.isEmpty, grid.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw .invalidArgument("the σ grid must be non-empty with finite σ > 0")
        }
        let sorted = grid.sorted(by: >)
        func ev(_ s: Scalar) throws(AnalysisError) -> Double {
            try ExplainedVariance.pooled(reference: reference, candidate: candidate, points: points, sigma: s)
        }
        var values = [Double]()
        var failing: Int?
        for (k, s) in sorted.enumerated() {
            let value = try ev(s)
            values.append(value)
            if value < threshold { failing = k; break }
        }
        self.threshold = threshold
        self.grid = sorted.map { Double($0) }
        gridExplainedVariance = values
        guard let failing else {
            sigma = Double(sorted[sorted.count - 1])
            belowGrid = true
            return
        }
        belowGrid = false
        guard failing > 0 else { sigma = nil; return }
        var (pass, fail) = (sorted[failing - 1], sorted[failing])
        for _ in 0..<bisectionSteps {
            let middle = Scalar.exp((Scalar.log(pass) + Scalar.log(fail)) / 2)
            guard middle < pass && middle > fail else { break }
            if try ev(middle) >= threshold { pass = middle } else { fail = middle }
        }
        sigma = Double(pass)
    }
}
