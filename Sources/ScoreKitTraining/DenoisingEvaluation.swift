/// A fixed denoising test of a model on a data set: every row at the centre σ_k = √(e_k e_{k+1})
/// of each loss bucket, with noise fixed once (draw 3 of `CounterNormalRNG(seed)`, a draw the
/// training steps never use), scored by the run's weighted DSM loss. Every evaluation sees the
/// same inputs, so the values at different steps of a run are directly comparable, and the
/// per-bucket values are the training error across noise levels (papers.md §3.4).
///
/// `loss` weights bucket k's mean by the probability p_k that the training noise distribution
/// puts on it (`bucketWeights`): an estimate of the training objective on these rows, so it is
/// comparable with the training loss. (An unweighted mean would be dominated by the extreme σ
/// that training rarely visits.)
public struct DenoisingEvaluation<Scalar: MatrixScalar>: Sendable {
    public let buckets: SigmaBuckets
    public let weighting: LossWeighting
    /// p_k, summing to 1.
    public let bucketWeights: [Double]
    let clean: Matrix<Scalar>
    let sigmas: [Scalar]
    let noised: Matrix<Scalar>

    /// Rows per forward pass, bounding the memory of the activations.
    static var chunkRows: Int { 4096 }

    public init(data: Matrix<Scalar>, buckets: SigmaBuckets, weighting: LossWeighting, noiseDistribution: NoiseDistribution,
                seed: UInt64) {
        self.buckets = buckets
        self.weighting = weighting
        bucketWeights = Self.bucketWeights(noiseDistribution, buckets: buckets)
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

    /// The share of σ ~ `distribution` in each bucket (σ outside the range counted in the end
    /// buckets, as `SigmaBuckets.index` does), from 2¹⁶ fixed draws (seed 0; Monte Carlo error
    /// ≤ 0.004 per bucket) — the same for every distribution, including tables.
    public static func bucketWeights(_ distribution: NoiseDistribution, buckets: SigmaBuckets) -> [Double] {
        let draws = 1 << 16
        let rng = CounterNormalRNG(seed: 0)
        let u: Matrix<Double> = rng.uniforms(rows: draws, columns: 1, draw: 0)
        let z: Matrix<Double> = rng.normals(rows: draws, columns: 1, draw: 1)
        var counts = [Double](repeating: 0, count: buckets.count)
        for i in 0..<draws {
            counts[buckets.index(of: distribution.sigma(uniform: u.scalars[i], normal: z.scalars[i]))] += 1
        }
        return counts.map { $0 / Double(draws) }
    }

    /// The number of (row, level) pairs.
    public var count: Int { sigmas.count }

    /// The loss of `denoiser` (bucket means weighted by p_k) and the mean loss per bucket.
    public func evaluate(_ denoiser: NetworkDenoiser<Scalar>) throws(TrainingError) -> (loss: Double, buckets: BucketLosses) {
        var result = BucketLosses(buckets: buckets)
        for start in stride(from: 0, to: count, by: Self.chunkRows) {
            let range = start..<Swift.min(start + Self.chunkRows, count)
            let levels = Array(sigmas[range])
            let denoised = try denoiser.denoise(noised.rows(range), sigmas: levels)
            let loss = DenoisingScoreMatchingLoss(denoised: denoised, clean: clean.rows(range), sigmas: levels, weighting: weighting)
            result.add(loss, sigmas: levels)
        }
        let weighted = zip(result.meanLosses, bucketWeights).reduce(0.0) { $0 + ($1.0 ?? 0) * $1.1 }
        return (count > 0 ? weighted : .nan, result)
    }
}
