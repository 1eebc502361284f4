/// Settings of `GaussianMixtureDenoiser.fit`.
public struct EMOptions<Scalar: MatrixScalar>: Sendable {
    /// Added to the diagonal of every covariance after each M-step (sklearn's `reg_covar`); > 0 keeps
    /// the components positive definite when a cluster is flat or tiny.
    public var regularization: Scalar
    public var maxIterations: Int
    /// EM stops when the mean log-likelihood changes by less than this between iterations.
    public var tolerance: Scalar

    public init(regularization: Scalar = 1e-6, maxIterations: Int = 200, tolerance: Scalar = 1e-6) {
        self.regularization = regularization
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }
}

/// What an EM fit did.
public struct EMReport<Scalar: MatrixScalar>: Sendable {
    /// EM iterations (M-step + E-step) run after the initialisation.
    public let iterations: Int
    /// Mean log-likelihood per data point of the returned mixture (σ = 0).
    public let logLikelihood: Scalar
    /// True when the tolerance was met before `maxIterations`.
    public let converged: Bool
    /// The mean log-likelihood after the initialisation and after every iteration (`iterations + 1`
    /// values). Exact EM never lets it decrease; the regularisation can, by O(`regularization`).
    public let history: [Scalar]
}

extension GaussianMixtureDenoiser {
    /// Fits K components to the rows of `data` by expectation–maximisation (Dempster, Laird &
    /// Rubin 1977), initialised as sklearn's `init_params="k-means++"`: k-means++ seeding
    /// (Arthur & Vassilvitskii 2007) picks K data points as centres, every point is assigned to its
    /// nearest centre, and one M-step turns that hard assignment into weights, means and covariances.
    ///
    /// - Parameters:
    ///   - components: K, 1 ≤ K ≤ N; the data must hold at least K distinct points.
    ///   - generator: the source of the k-means++ draws (any generator; seed it for reproducible fits).
    public static func fit(
        _ data: Matrix<Scalar>, components k: Int, options: EMOptions<Scalar> = EMOptions(),
        using generator: inout some RandomNumberGenerator
    ) throws(DenoiserError) -> (model: GaussianMixtureDenoiser, report: EMReport<Scalar>) {
        guard data.rows > 0 && data.columns > 0 else { throw .emptyTrainingSet }
        guard data.isFinite else { throw .nonFiniteParameters("the data") }
        guard k >= 1 && k <= data.rows else { throw .invalidArgument("\(k) components for \(data.rows) points") }
        guard options.regularization.isFinite && options.regularization > 0 else {
            throw .invalidArgument("regularization must be finite and positive (got \(options.regularization))")
        }
        guard options.maxIterations >= 0 else { throw .invalidArgument("maxIterations must be ≥ 0") }
        guard options.tolerance.isFinite && options.tolerance >= 0 else { throw .invalidArgument("tolerance must be finite and ≥ 0") }

        let centres = data.rows(at: try kMeansPlusPlusIndices(data, count: k, using: &generator))
        let distances = data.squaredDistances(to: centres)
        let nearest = (0..<data.rows).map { i in distances.row(i).enumerated().min { $0.element < $1.element }?.offset ?? 0 }
        let hard = Matrix<Scalar>(rows: data.rows, columns: k) { i, j in nearest[i] == j ? 1 : 0 }
        var model = try maximisation(data, responsibilities: hard, regularization: options.regularization)
        var (logLikelihood, responsibilities) = try model.expectation(data)
        var history = [logLikelihood]
        var converged = false
        while history.count <= options.maxIterations && !converged {
            model = try maximisation(data, responsibilities: responsibilities, regularization: options.regularization)
            let previous = logLikelihood
            (logLikelihood, responsibilities) = try model.expectation(data)
            history.append(logLikelihood)
            converged = Swift.abs(logLikelihood - previous) < options.tolerance
        }
        return (model, EMReport(iterations: history.count - 1, logLikelihood: logLikelihood, converged: converged, history: history))
    }

    /// E-step: the mean log-likelihood of `data` and the N × K responsibilities.
    func expectation(_ data: Matrix<Scalar>) throws(DenoiserError) -> (Scalar, Matrix<Scalar>) {
        let joint = jointLogDensities(data, noiseVariance: 0)
        let perPoint = joint.logSumExpRows()
        guard perPoint.allSatisfy({ $0.isFinite }) else {
            throw .fitFailed("non-finite log-likelihood; increase the regularization")
        }
        let mean = perPoint.reduce(0.0) { $0 + Double($1) } / Double(perPoint.count)
        return (Scalar(mean), joint.softmaxRows())
    }

    /// M-step: weights N_k/N, responsibility-weighted means and 1/N_k covariances, plus `regularization · I`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func maximisation(_ data: Matrix<Scalar>, responsibilities r: Matrix<Scalar>, regularization: Scalar)
        throws(DenoiserError) -> GaussianMixtureDenoiser {
        let (n, d, k) = (data.rows, data.columns, r.columns)
        let counts = r.columnSums()
        var means = Matrix<Scalar>(rows: k, columns: d)
        var covariances = [Matrix<Scalar>](), components = [GaussianDenoiser<Scalar>]()
        for j in 0..<k {
            // An emptied component keeps weight 0, mean 0 and covariance reg·I instead of dividing by 0.
            let total = Swift.max(counts[j], Scalar.leastNormalMagnitude)
            let (mean, scatter) = data.meanAndCovariance(weights: (0..<n).map { r[$0, j] / total })
            let covariance = scatter + Matrix.identity(d) * regularization
            means.setRow(j, to: mean)
            covariances.append(covariance)
            do { components.append(try GaussianDenoiser(mean: mean, covariance: covariance)) } catch {
                throw .component(index: j, error)
            }
        }
        let weights = try normalisedWeights(counts, count: k, requireUnitSum: false)
        return GaussianMixtureDenoiser(weights: weights, means: means, covariances: covariances, components: components)
    }

    /// k-means++ seeding: the first centre uniformly, each next one with probability ∝ the squared
    /// distance to the nearest centre chosen so far (points already chosen have probability 0).
    static func kMeansPlusPlusIndices(_ data: Matrix<Scalar>, count k: Int, using generator: inout some RandomNumberGenerator)
        throws(DenoiserError) -> [Int] {
        func distances(to c: Int) -> [Double] { squaredDistances(data, toRow: c) }
        var chosen = [Int.random(in: 0..<data.rows, using: &generator)]
        var nearest = distances(to: chosen[0])
        while chosen.count < k {
            let total = nearest.reduce(0, +)
            guard total > 0 else { throw .fitFailed("the data hold fewer than \(k) distinct points") }
            let target = Double.random(in: 0..<total, using: &generator)
            var cumulative = 0.0
            // The last point with positive weight is the fallback if rounding leaves target ≥ the scanned total.
            var pick = nearest.lastIndex(where: { $0 > 0 }) ?? 0
            for (i, value) in nearest.enumerated() where value > 0 {
                cumulative += value
                if cumulative > target { pick = i; break }
            }
            chosen.append(pick)
            nearest = zip(nearest, distances(to: pick)).map { Swift.min($0, $1) }
        }
        return chosen
    }

    /// ‖x_i − x_c‖² for every row i, by explicit differences in Double, so that duplicates of a
    /// chosen point get exactly 0 and are never chosen again.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func squaredDistances(_ data: Matrix<Scalar>, toRow c: Int) -> [Double] {
        let (n, d) = (data.rows, data.columns)
        var out = [Double](repeating: 0, count: n)
        data.scalars.withUnsafeBufferPointer { x in
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<d {
                    let delta = Double(x[i * d + j]) - Double(x[c * d + j])
                    sum += delta * delta
                }
                out[i] = sum
            }
        }
        return out
    }
}
