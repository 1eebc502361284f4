/// Kim's optimal multiplicative field f* (papers.md §1.2 — a reconstruction, tagged [I, N]: the
/// paper itself could not be read), made usable as a denoiser.
///
/// A multiplicatively conditioned model `s(x, σ) = f(x)/σ` (NCSNv2's technique 3) trained with the
/// NCSNv2 loss `E_{σ∼π} E ‖f(x₀ + σz) + z‖²` over finitely many levels σ_1, …, σ_L with prior π
/// has the pointwise minimiser
///
///     f*(y) = −E[z | x̃ = y] = Σ_i w_i(y) (D_{σ_i}(y) − y)/σ_i,
///     w_i(y) = π_i p_{σ_i}(y) / Σ_j π_j p_{σ_j}(y)     (the posterior over the level given y),
///
/// a posterior-weighted combination of the per-level optimal denoisers of the `base` data model.
/// The weights are computed in log space from the base's normalised `logDensity`.
///
/// As a denoiser it answers for the score it implies, `s(x, σ) = f*(x)/σ`, through Tweedie's
/// relation `D = x + σ² s` (papers.md §0.1):
///
///     D(x; σ) = x + σ f*(x),
///
/// so the PF-ODE becomes `dx/dσ = (x − D)/σ = −f*(x)`, the autonomous flow of §1.3. This D equals
/// the base's exact denoiser only where the level posterior is sharp at σ (high dimension).
public struct MultiplicativeOptimalField<Base: DensityModel>: Denoiser {
    public typealias Scalar = Base.Scalar
    /// The data model whose per-level denoisers and densities f* combines.
    public let base: Base
    /// The training noise levels σ_i > 0.
    public let levels: [Scalar]
    /// The prior π_i over the levels, normalised to sum 1.
    public let levelWeights: [Scalar]
    let logLevelWeights: [Scalar]

    public var dimension: Int { base.dimension }

    /// - Parameters:
    ///   - levels: the noise levels (finite, > 0, at least one).
    ///   - levelWeights: the prior π over the levels (any positive total); nil = uniform, as NCSNv2.
    public init(base: Base, levels: [Scalar], levelWeights: [Scalar]? = nil) throws(DenoiserError) {
        guard !levels.isEmpty else { throw .invalidArgument("at least one noise level is needed") }
        if let bad = levels.first(where: { !($0.isFinite && $0 > 0) }) { throw .invalidSigma(Double(bad)) }
        let weights = try normalisedWeights(levelWeights ?? [Scalar](repeating: 1, count: levels.count),
                                            count: levels.count, requireUnitSum: false)
        self.base = base
        self.levels = levels
        self.levelWeights = weights
        logLevelWeights = weights.map { Scalar.log($0) }
    }

    /// f*(y) for every row of `y` (B × d).
    public func field(_ y: Matrix<Scalar>) throws(DenoiserError) -> Matrix<Scalar> {
        try evaluate(y).field
    }

    /// The posterior over the levels given y, B × L (row b is w(y_b)).
    public func levelPosterior(_ y: Matrix<Scalar>) throws(DenoiserError) -> Matrix<Scalar> {
        try evaluate(y).posterior
    }

    /// `D(x; σ) = x + σ f*(x)`.
    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> Matrix<Scalar> {
        try validateInput(x, sigma: sigma, dimension: dimension)
        var out = x
        out.axpy(sigma, try field(x))
        return out
    }

    private func evaluate(_ y: Matrix<Scalar>) throws(DenoiserError) -> (field: Matrix<Scalar>, posterior: Matrix<Scalar>) {
        var logPosterior = Matrix<Scalar>(rows: y.rows, columns: levels.count)
        var directions = [Matrix<Scalar>]()  // (D_{σ_i}(y) − y)/σ_i
        for (i, sigma) in levels.enumerated() {
            let (denoised, logDensity) = try base.denoiseWithLogDensity(y, sigma: sigma)
            directions.append(denoised.linearCombination(1 / sigma, -1 / sigma, y))
            for (b, value) in logDensity.enumerated() { logPosterior[b, i] = logLevelWeights[i] + value }
        }
        let posterior = logPosterior.softmaxRows()
        var field = Matrix<Scalar>(rows: y.rows, columns: dimension)
        for (i, direction) in directions.enumerated() {
            field += direction.scalingRows(by: (0..<y.rows).map { posterior[$0, i] })
        }
        return (field, posterior)
    }
}
