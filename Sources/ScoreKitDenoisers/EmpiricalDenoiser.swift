/// The exact denoiser of the empirical distribution `Σ_i π_i δ(x − x_i)` of a training set
/// (papers.md §0.4(c); Karras et al. 2022 eq. 57):
///
///     D(x; σ) = Σ_i w_i(x) x_i,   w = softmax_i(−‖x − x_i‖²/(2σ²) + log π_i),
///
/// with the exact noised log-density `log p_σ(x) = log Σ_i π_i N(x; x_i, σ² I)`. Uniform weights
/// give the oracles' `empirical` denoiser (/work/shared/oracles/README.md).
///
/// **Scale.** One pass streams over the training set in chunks of `chunkSize` rows with an online
/// log-sum-exp (`StreamingSoftmaxState`): cross terms `x · chunkᵀ` and the weighted sum
/// `W · chunk` are GEMMs, and nothing larger than a 512-row × chunk block of logits is formed, so
/// N = 60,000, d = 784, B = 256 runs in bounded memory. `‖x_i‖²` is computed once here.
///
/// **Precision.** Points are centred on the (weighted) data mean before the Gram-based squared
/// distances `‖x‖² − 2x·x_i + ‖x_i‖²`, which keeps their rounding error proportional to the
/// spread of the data rather than to its distance from the origin. Logits stay in distance units
/// and are divided by σ² only inside `exp`, so σ → 0 returns the nearest training point (ties
/// aside) and σ → ∞ the weighted mean, with no NaN. The price of the Gram form: weights and
/// log-density carry an absolute error of about ε‖x − center‖²/σ² in the logits, which matters
/// only for Float at σ far below the data spread (where the softmax is one-hot anyway).
///
/// **Threads.** A pass always streams the two halves of the training set separately and merges
/// the two states in a fixed order, so the result does not depend on whether the halves ran
/// concurrently: not on the parallelism, the thread count, or the batch size (a sample's result is
/// the same in any batch split). With `.automatic`, the halves run concurrently when the work
/// exceeds roughly a millisecond (B·N·(d + 4) ≥ 2²³) and `Parallelism.maximumThreads` allows;
/// BLAS runs single-threaded either way (ScoreKit's one threading layer, `Parallelism`).
public struct EmpiricalDenoiser<Scalar: MatrixScalar>: DensityModel {
    /// How a call uses the machine's two cores.
    public enum Parallelism: Sendable {
        /// Run the two halves on two threads when the work is large enough (see above).
        case automatic
        /// One thread.
        case serial
        /// Always split into two halves, on two threads when allowed (for tests of the merge; needs N ≥ 2).
        case twoWay
    }

    /// Rows of the training set per streamed chunk.
    public let chunkSize: Int
    public var parallelism: Parallelism
    /// The weights π_i, normalised to sum 1; nil means uniform (1/N).
    public let weights: [Scalar]?
    /// The (π-weighted) mean of the training set, around which every computation is centred.
    public let center: [Scalar]
    /// The training points minus `center`, N × d.
    let centredData: Matrix<Scalar>
    /// −‖x_i − center‖²/2 for every training point.
    let negativeHalfSquaredNorms: [Scalar]
    /// log π_i, or nil for uniform weights (then −log N is added once at the end).
    let logWeights: [Scalar]?

    /// Query rows per block: bounds the logits buffer at 512 × chunkSize.
    static var rowBlock: Int { 512 }
    /// B·N·(d + 4) above which `.automatic` splits the work (about 1 ms of GEMM on one core).
    static var parallelWorkThreshold: Int { 1 << 23 }

    public var dimension: Int { centredData.columns }
    /// The number of training points N.
    public var count: Int { centredData.rows }
    /// The training points (reconstructed as centred points + `center`).
    public var data: Matrix<Scalar> { centredData.addingToRows(center) }

    /// - Parameters:
    ///   - data: the N × d training set (N ≥ 1, finite).
    ///   - weights: optional π_i ≥ 0 (any positive total; they are normalised); nil = uniform.
    ///   - chunkSize: rows of the training set per streamed block.
    public init(data: Matrix<Scalar>, weights: [Scalar]? = nil, chunkSize: Int = 2048,
                parallelism: Parallelism = .automatic) throws(DenoiserError) {
        guard data.rows > 0 && data.columns > 0 else { throw .emptyTrainingSet }
        guard data.isFinite else { throw .nonFiniteParameters("the training set") }
        guard chunkSize >= 1 else { throw .invalidArgument("chunk size must be at least 1 (got \(chunkSize))") }
        let pi: [Scalar]?
        if let weights { pi = try normalisedWeights(weights, count: data.rows, requireUnitSum: false) } else { pi = nil }
        center = pi.map { Matrix.product(Matrix(row: $0), data).scalars } ?? data.columnMeans()
        centredData = data.addingToRows(center.map { -$0 })
        negativeHalfSquaredNorms = centredData.rowSquaredNorms().map { -$0 / 2 }
        logWeights = pi?.map { Scalar.log($0) }
        self.weights = pi
        self.chunkSize = chunkSize
        self.parallelism = parallelism
    }

    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> Matrix<Scalar> {
        try evaluate(x, sigma: sigma, wantsMean: true).denoised
    }

    /// `log Σ_i π_i N(x; x_i, σ² I)`, exact.
    public func logDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError) -> [Scalar] {
        try evaluate(x, sigma: sigma, wantsMean: false).logDensity
    }

    public func denoiseWithLogDensity(_ x: Matrix<Scalar>, sigma: Scalar) throws(DenoiserError)
        -> (denoised: Matrix<Scalar>, logDensity: [Scalar]) {
        try evaluate(x, sigma: sigma, wantsMean: true)
    }

    /// One streaming pass: the log-density always, the posterior mean when `wantsMean`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func evaluate(_ x: Matrix<Scalar>, sigma: Scalar, wantsMean: Bool) throws(DenoiserError)
        -> (denoised: Matrix<Scalar>, logDensity: [Scalar]) {
        try validateInput(x, sigma: sigma, dimension: dimension)
        let (b, d) = (x.rows, dimension)
        let variance = noiseVariance(sigma), inverseVariance = 1 / variance
        let queries = x.addingToRows(center.map { -$0 })
        let queryNorms = queries.rowSquaredNorms()
        let offsets = logWeights.map { lw in zip(negativeHalfSquaredNorms, lw).map { $0 + variance * $1 } }
            ?? negativeHalfSquaredNorms
        // log p = LSE_i(ℓ_i) − (d/2) log 2π − d log σ, with LSE_i(ℓ_i) = (m − ‖q‖²/2)/σ² + log Σ + [−log N].
        let constant = (logWeights == nil ? -Scalar.log(Scalar(count)) : 0)
            - halfLogTwoPi(dimension: d) - Scalar(d) * Scalar.log(sigma)
        let concurrently = runsConcurrently(batch: b)
        var denoised = Matrix<Scalar>(rows: b, columns: wantsMean ? d : 0)
        var logDensity = [Scalar](repeating: 0, count: b)
        for r0 in stride(from: 0, to: b, by: Self.rowBlock) {
            let rows = Swift.min(Self.rowBlock, b - r0)
            let state = queries.scalars.withUnsafeBufferPointer { q in
                offsets.withUnsafeBufferPointer { o in
                    stream(queries: q.baseAddress! + r0 * d, rows: rows, offsets: o.baseAddress!,
                           inverseVariance: inverseVariance, concurrently: concurrently, wantsMean: wantsMean)
                }
            }
            for i in 0..<rows {
                // m − ‖q‖²/2 = max_i(−‖q − x_i‖²/2 + σ² log π_i) ≤ 0; clamping removes rounding above 0.
                let top = Swift.min(0, state.maxima[i] - queryNorms[r0 + i] / 2)
                logDensity[r0 + i] = top * inverseVariance + Scalar.log(state.sums[i]) + constant
                guard wantsMean else { continue }
                let inverseSum = 1 / state.sums[i]
                for j in 0..<d { denoised[r0 + i, j] = state.weightedSums[i, j] * inverseSum + center[j] }
            }
        }
        return (denoised, logDensity)
    }

    /// Streams one block of query rows over the whole training set, half by half (concurrently when
    /// `concurrently`), merging the halves' states in the same order either way.
    private func stream(queries: UnsafePointer<Scalar>, rows: Int, offsets: UnsafePointer<Scalar>,
                        inverseVariance: Scalar, concurrently: Bool, wantsMean: Bool) -> StreamingSoftmaxState<Scalar> {
        centredData.scalars.withUnsafeBufferPointer { data in
            func run(_ range: Range<Int>) -> StreamingSoftmaxState<Scalar> {
                var state = StreamingSoftmaxState<Scalar>(rows: rows, dimension: dimension, accumulatesMean: wantsMean)
                state.accumulate(queries: queries, data: data.baseAddress!, dimension: dimension, range: range,
                                 chunkSize: chunkSize, offsets: offsets, inverseVariance: inverseVariance)
                return state
            }
            guard count >= 2 else { return run(0..<count) }
            let half = count / 2
            let halves = ScoreKitNumerics.Parallelism.concurrentMap(2, parallel: concurrently) { $0 == 0 ? run(0..<half) : run(half..<count) }
            var merged = halves[0]
            merged.merge(halves[1], inverseVariance: inverseVariance)
            return merged
        }
    }

    private func runsConcurrently(batch b: Int) -> Bool {
        guard count >= 2 && b > 0 else { return false }
        switch parallelism {
        case .serial: return false
        case .twoWay: return true
        case .automatic: return b * count * (dimension + 4) >= Self.parallelWorkThreshold
        }
    }
}
