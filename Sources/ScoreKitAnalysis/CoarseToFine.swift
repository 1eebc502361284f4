/// The coarse-to-fine order in which principal directions are decided along a sampling run
/// (Wang & Vastola, papers.md §0.4(a) "reading of the formulas" and §4.4 W5).
///
/// For each eigen-direction u_k of a Gaussian fit (μ, λ_k), the coefficient of the denoising
/// trajectory `c_k(σ_n) = u_kᵀ(D_n − μ)` is compared with its final value `c_k(final)` (the last
/// recorded state). Direction k is **fixed** at the largest σ from which on the ratio
/// `c_k(σ)/c_k(final)` stays ≥ `fraction` (interpolated between the two recorded σ that bracket the
/// crossing: in log σ, or linearly when the lower one is 0). Per direction the median over samples
/// (ignoring samples with |c_k(final)| below 10⁻⁸ of the direction's largest) is reported.
///
/// Gaussian prediction [I, checked here]: on the exact Gaussian flow, `c_k(σ) ∝ ξ(σ, λ_k) =
/// λ_k/√((σ² + λ_k)(σ_T² + λ_k))`, so the ratio is `√(λ_k/(σ² + λ_k))` for every sample, and it
/// reaches `fraction` at `σ = √λ_k · √(1/fraction² − 1)`; for 0.9 the constant is
/// √(1/0.81 − 1) = 0.4843 (papers.md's "σ ≈ 0.48 √λ_k"). Large-λ directions are fixed first.
public struct CoarseToFine: Codable, Sendable, Equatable {
    public let fraction: Double
    /// λ_k of the analysed directions (descending, as in the Gaussian).
    public let eigenvalues: [Double]
    /// The median σ at which each direction is fixed (0 if only at the end).
    public let fixSigma: [Double]
    /// `√λ_k · √(1/fraction² − 1)`.
    public let predictedSigma: [Double]
    /// Direction indices sorted by decreasing `fixSigma` (ties keep the λ order).
    public var order: [Int] { fixSigma.indices.sorted { fixSigma[$0] > fixSigma[$1] || (fixSigma[$0] == fixSigma[$1] && $0 < $1) } }

    /// - Parameters:
    ///   - record: any run (its `denoised` trajectory is what is projected).
    ///   - gaussian: the fit whose eigenvectors and eigenvalues define the directions.
    ///   - components: how many leading directions to analyse (≤ the Gaussian's rank).
    ///   - fraction: in (0, 1); 0.9 by default.
    public init<Scalar>(_ record: TrajectoryRecord<Scalar>, gaussian: GaussianDenoiser<Scalar>, components: Int,
                        fraction: Double = 0.9) throws(AnalysisError) {
        guard record.x.count >= 2, record.columns == gaussian.dimension else {
            throw .invalidInput("need a trajectory of ≥ 2 states in the Gaussian's \(gaussian.dimension) dimensions")
        }
        guard components >= 1 && components <= gaussian.rank else {
            throw .invalidArgument("components must lie in 1…\(gaussian.rank) (got \(components))")
        }
        guard fraction > 0 && fraction < 1 else { throw .invalidArgument("the fraction must lie in (0, 1) (got \(fraction))") }
        let mu = gaussian.mean.map { -Double($0) }
        let u = gaussian.eigenvectors.converted(to: Double.self)
        // coefficients[n] is B × k: the eigen-coordinates of D_n − μ.
        let coefficients = record.denoised.map { Matrix.product($0.converted(to: Double.self).addingToRows(mu), u) }
        let sigmas = record.sigmas.map { Double($0) }
        let last = coefficients.count - 1
        var fixed = [Double]()
        for k in 0..<components {
            let finals = (0..<record.rows).map { coefficients[last][$0, k] }
            let scale = finals.map { Swift.abs($0) }.max() ?? 0
            let values = (0..<record.rows).compactMap { b -> Double? in
                guard Swift.abs(finals[b]) > 1e-8 * scale else { return nil }
                return fixingSigma(coefficients.map { $0[b, k] / finals[b] }, sigmas, fraction)
            }
            fixed.append(median(values))
        }
        self.fraction = fraction
        eigenvalues = gaussian.eigenvalues.prefix(components).map { Double($0) }
        fixSigma = fixed
        let constant = (1 / (fraction * fraction) - 1).squareRoot()
        predictedSigma = eigenvalues.map { $0.squareRoot() * constant }
    }
}

/// The σ where `ratios` last rises to `fraction` (every later ratio ≥ fraction), interpolated.
private func fixingSigma(_ ratios: [Double], _ sigmas: [Double], _ fraction: Double) -> Double {
    var first = ratios.count - 1
    while first > 0 && ratios[first - 1] >= fraction { first -= 1 }
    guard first > 0 else { return sigmas[0] }
    let (r0, r1) = (ratios[first - 1], ratios[first])
    let t = r1 == r0 ? 1 : (fraction - r0) / (r1 - r0)
    let (s0, s1) = (sigmas[first - 1], sigmas[first])
    guard s1 > 0 && s0 > 0 else { return s0 + t * (s1 - s0) }
    return Double.exp(Double.log(s0) + t * (Double.log(s1) - Double.log(s0)))
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let m = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
}
