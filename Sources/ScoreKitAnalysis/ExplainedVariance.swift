/// A candidate denoiser with the name it is reported under.
public struct NamedDenoiser<Scalar: MatrixScalar>: Sendable {
    public let name: String
    public let denoiser: any Denoiser<Scalar>
    public init(_ name: String, _ denoiser: any Denoiser<Scalar>) {
        self.name = name
        self.denoiser = denoiser
    }
}

/// How much of a reference denoiser's variation a candidate explains, as a function of σ
/// (Wang & Vastola; papers.md §4.3 and §0.6), in **denoiser space** with x = x₀ + σ ε from
/// `NoisedData`. Two definitions are kept:
/// * `pooled` [I, the analysis issue's definition]: `1 − Σ_b ‖D_b − D̂_b‖² / Σ_b ‖D_b − D̄‖²`, the
///   candidate's error against the reference's variance over the batch (D̄ = batch mean of D);
/// * `perSample` [V, the authors' Dt_EV]: the mean over samples of `1 − ‖D_b − D̂_b‖²/‖D_b‖²`.
///   It is ≈ 1 whenever D is far from the origin, hence the pooled form is the one to read.
/// D is the reference (a network or the exact empirical/GMM denoiser), D̂ the candidate.
public struct ExplainedVarianceCurve: Codable, Sendable, Equatable {
    public let name: String
    public let sigmas: [Double]
    public let pooled: [Double]
    public let perSample: [Double]
}

public enum ExplainedVariance {
    /// The curves of every candidate against `reference` at each σ (> 0).
    public static func curves<Scalar>(reference: any Denoiser<Scalar>, candidates: [NamedDenoiser<Scalar>],
                                      points: NoisedData<Scalar>, sigmas: [Scalar]) throws(AnalysisError)
        -> [ExplainedVarianceCurve] {
        guard !sigmas.isEmpty, sigmas.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw .invalidArgument("explained variance needs finite σ > 0")
        }
        var pooled = [[Double]](repeating: [], count: candidates.count)
        var perSample = pooled
        for sigma in sigmas {
            let x = points.at(sigma)
            let d = try AnalysisError.wrapping { try reference.denoise(x, sigma: sigma) }
            for (c, candidate) in candidates.enumerated() {
                let dHat = try AnalysisError.wrapping { try candidate.denoiser.denoise(x, sigma: sigma) }
                let ev = explainedVariance(reference: d, candidate: dHat)
                pooled[c].append(ev.pooled)
                perSample[c].append(ev.perSample)
            }
        }
        let grid = sigmas.map { Double($0) }
        return candidates.indices.map { c in
            ExplainedVarianceCurve(name: candidates[c].name, sigmas: grid, pooled: pooled[c], perSample: perSample[c])
        }
    }

    /// Pooled EV of one candidate at one σ (the function `TeleportationSigma` bisects).
    static func pooled<Scalar>(reference: any Denoiser<Scalar>, candidate: any Denoiser<Scalar>,
                               points: NoisedData<Scalar>, sigma: Scalar) throws(AnalysisError) -> Double {
        try curves(reference: reference, candidates: [NamedDenoiser("candidate", candidate)], points: points,
                   sigmas: [sigma])[0].pooled[0]
    }

    /// Both EVs of `candidate` against `reference` (B × d each). A reference without variation
    /// explains nothing to share: its pooled EV is 1 if the candidate matches it exactly, else −∞
    /// clamped to −1e300 (JSON has no infinity).
    static func explainedVariance<Scalar>(reference d: Matrix<Scalar>, candidate dHat: Matrix<Scalar>)
        -> (pooled: Double, perSample: Double) {
        let reference = d.converted(to: Double.self)
        let errors = (reference - dHat.converted(to: Double.self)).rowSquaredNorms()
        let spread = reference.addingToRows(reference.columnMeans().map { -$0 }).rowSquaredNorms().reduce(0, +)
        let error = errors.reduce(0, +)
        let pooled = spread > 0 ? 1 - error / spread : (error == 0 ? 1 : -1e300)
        let norms = reference.rowSquaredNorms()
        let perSample = mean(zip(errors, norms).map { $1 > 0 ? 1 - $0 / $1 : ($0 == 0 ? 1 : -1e300) })
        return (pooled, perSample)
    }
}
