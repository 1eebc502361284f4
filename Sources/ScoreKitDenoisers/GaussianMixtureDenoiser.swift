/// The exact denoiser of a Gaussian mixture `Σ_k w_k N(m_k, S_k)` under VE noise
/// (papers.md §0.4(b); the oracles' `gmm` denoiser):
///
///     p_σ(x)  = Σ_k w_k N(x; m_k, S_k + σ² I),
///     D(x; σ) = Σ_k r_k(x) [m_k + S_k (S_k + σ² I)⁻¹ (x − m_k)],
///     r(x)    = softmax_k(log w_k + log N(x; m_k, S_k + σ² I))   (max-subtracted).
///
/// Each component is a `GaussianDenoiser` whose eigenbasis is computed once here, so a call costs
/// two GEMMs per component and no solve. The parameters are exposed as the lead's `.npz` layout
/// wants them: `weights` (K), `means` (K × d), `covariances` (K matrices d × d).
public struct GaussianMixtureDenoiser<Scalar: MatrixScalar>: DensityModel {
    /// w_k ≥ 0, summing to 1.
    public let weights: [Scalar]
    /// K × d; row k is m_k.
    public let means: Matrix<Scalar>
    /// S_k as given (symmetrised), d × d each.
    public let covariances: [Matrix<Scalar>]
    /// The components as Gaussians in eigen form (eigenvalues clamped at 0).
    public let components: [GaussianDenoiser<Scalar>]
    let logWeights: [Scalar]

    public var dimension: Int { means.columns }
    /// K, the number of components.
    public var componentCount: Int { weights.count }

    /// Checks and stores the parameters: K ≥ 1 components of one dimension d ≥ 1, weights finite,
    /// ≥ 0 and summing to 1 (to √ε; then renormalised), means finite, covariances d × d, finite,
    /// symmetric and positive semi-definite (see `GaussianDenoiser.init(mean:covariance:)`).
    public init(weights: [Scalar], means: Matrix<Scalar>, covariances: [Matrix<Scalar>]) throws(DenoiserError) {
        let k = weights.count
        guard k > 0 else { throw .shapeMismatch("a mixture needs at least one component") }
        guard means.rows == k && means.columns > 0 else {
            throw .shapeMismatch("means are \(means.rows)×\(means.columns) for \(k) components")
        }
        guard covariances.count == k else { throw .shapeMismatch("\(covariances.count) covariances for \(k) components") }
        let normalised = try normalisedWeights(weights, count: k, requireUnitSum: true)
        var components = [GaussianDenoiser<Scalar>]()
        for (i, covariance) in covariances.enumerated() {
            do { components.append(try GaussianDenoiser(mean: Array(means.row(i)), covariance: covariance)) } catch {
                throw .component(index: i, error)
            }
        }
        self.init(weights: normalised, means: means, covariances: covariances.map { $0.symmetrised() }, components: components)
    }

    /// The same with the covariances stacked as one K × d × d row-major array (the `.npz` layout).
    public init(weights: [Scalar], means: Matrix<Scalar>, stackedCovariances: [Scalar]) throws(DenoiserError) {
        let (k, d) = (means.rows, means.columns)
        guard stackedCovariances.count == k * d * d else {
            throw .shapeMismatch("\(stackedCovariances.count) covariance entries for \(k) components of dimension \(d)")
        }
        let covariances = (0..<k).map { i in
            Matrix(rows: d, columns: d, scalars: Array(stackedCovariances[(i * d * d)..<((i + 1) * d * d)]))
        }
        try self.init(weights: weights, means: means, covariances: covariances)
    }

    /// Parameters already checked (EM's M-step).
    init(weights: [Scalar], means: Matrix<Scalar>, covariances: [Matrix<Scalar>], components: [GaussianDenoiser<Scalar>]) {
        self.weights = weights
        self.means = means
        self.covariances = covariances
        self.components = components
        logWeights = weights.map { Scalar.log($0) }
    }

    /// Block by block (`RowBlocks`): a row's bits do not depend on the batch or the thread count.
    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> Matrix<Scalar> {
        try RowBlocks(rows: x.rows).map(x) { (block: Matrix<Scalar>) throws(DenoiserError) in
            try denoiseWithLogDensity(block, sigma: sigma).denoised
        }
    }

    /// `log Σ_k w_k N(x; m_k, S_k + σ² I)`, exact.
    public func logDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> [Scalar] {
        try validateInput(x, sigma: sigma, dimension: dimension)
        return jointLogDensities(x, noiseVariance: noiseVariance(sigma)).logSumExpRows()
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func denoiseWithLogDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError)
        -> (denoised: Matrix<Scalar>, logDensity: [Scalar]) {
        try validateInput(x, sigma: sigma, dimension: dimension)
        let variance = noiseVariance(sigma)
        var posteriorMeans = [Matrix<Scalar>]()
        let joint = jointLogDensities(x, noiseVariance: variance) { posteriorMeans.append($0.posteriorMean($1, noiseVariance: variance)) }
        let responsibilities = joint.softmaxRows()
        var denoised = Matrix<Scalar>(rows: x.rows, columns: dimension)
        for (k, mean) in posteriorMeans.enumerated() {
            denoised += mean.scalingRows(by: (0..<x.rows).map { responsibilities[$0, k] })
        }
        return (denoised, joint.logSumExpRows())
    }

    /// The B × K matrix `log w_k + log N(x_b; m_k, S_k + s2 I)`; `visit` sees each component's
    /// projection of `x` so callers can reuse it.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func jointLogDensities(_ x: Matrix<Scalar>, noiseVariance s2: Scalar,
                           visit: (GaussianDenoiser<Scalar>, GaussianDenoiser<Scalar>.Projection) -> Void = { _, _ in })
        -> Matrix<Scalar> {
        var joint = Matrix<Scalar>(rows: x.rows, columns: componentCount)
        for (k, component) in components.enumerated() {
            let projection = component.project(x)
            visit(component, projection)
            for (b, value) in component.logDensity(projection, noiseVariance: s2).enumerated() {
                joint[b, k] = logWeights[k] + value
            }
        }
        return joint
    }
}
