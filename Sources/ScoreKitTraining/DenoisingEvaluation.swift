/// A fixed denoising test of a model on a data set: every row at the centre σ_k = √(e_k e_{k+1})
/// of each loss bucket, with noise fixed once (draw 3 of `CounterNormalRNG(seed)`, a draw the
/// training steps never use), scored by the run's weighted DSM loss. Every evaluation sees the
/// same inputs, so the values at different steps of a run are directly comparable, and the
/// per-bucket values are the training error across noise levels (papers.md §3.4).
///
/// `loss` is the mean over all rows and levels: each bucket counts equally, unlike the training
/// loss, whose σ follow the noise distribution.
public struct DenoisingEvaluation<Scalar: MatrixScalar>: Sendable {
    public let buckets: SigmaBuckets
    public let weighting: LossWeighting
    let clean: Matrix<Scalar>
    let sigmas: [Scalar]
    let noised: Matrix<Scalar>

    /// Rows per forward pass, bounding the memory of the activations.
    static var chunkRows: Int { 4096 }

    public init(data: Matrix<Scalar>, buckets: SigmaBuckets, weighting: LossWeighting, seed: UInt64) {
        self.buckets = buckets
        self.weighting = weighting
        let levels = Self.levels(buckets)
        let n = data.rows
        let rows = (0..<(levels.count * n)).map { $0 % n }
        clean = data.rows(at: rows)
        sigmas = rows.indices.map { Scalar(levels[$0 / Swift.max(n, 1)]) }
        let epsilon: Matrix<Scalar> = CounterNormalRNG(seed: seed).normals(rows: rows.count, columns: data.columns, draw: 3)
        noised = clean + epsilon.scalingRows(by: sigmas)
    }

    /// The bucket centres, ascending.
    public static func levels(_ buckets: SigmaBuckets) -> [Double] {
        let e = buckets.edges
        return (0..<buckets.count).map { k in (e[k] * e[k + 1]).squareRoot() }
    }

    /// The number of (row, level) pairs.
    public var count: Int { sigmas.count }

    /// The weighted loss of `denoiser` over all pairs and per bucket.
    public func evaluate(_ denoiser: NetworkDenoiser<Scalar>) throws(TrainingError) -> (loss: Double, buckets: BucketLosses) {
        var result = BucketLosses(buckets: buckets)
        var total = 0.0
        for start in stride(from: 0, to: count, by: Self.chunkRows) {
            let range = start..<Swift.min(start + Self.chunkRows, count)
            let levels = Array(sigmas[range])
            let denoised = try denoiser.denoise(noised.rows(range), sigmas: levels)
            let loss = DenoisingScoreMatchingLoss(denoised: denoised, clean: clean.rows(range), sigmas: levels, weighting: weighting)
            result.add(loss, sigmas: levels)
            total += loss.rowLosses.reduce(0, +)
        }
        return (count > 0 ? total / Double(count) : .nan, result)
    }
}
