/// How close the samples sit to the training set: signs of memorisation.
public struct TrainingSetProximity: Sendable, Hashable {
    /// Share of samples whose nearest training point is much nearer than the second nearest.
    public let memorization: Double
    /// Mean Euclidean distance from a sample to its nearest training point.
    public let nearestNeighbourDistance: Double
}

extension Metrics {
    /// The memorisation ratio and the mean nearest-neighbour distance to the training set.
    ///
    /// With `d₁(x) ≤ d₂(x)` the distances from sample x to its nearest and second-nearest
    /// training points, x counts as memorised when `d₁ < d₂ / 3` (the criterion of Yoon et al.
    /// 2023 and Gu et al. 2023), or when `d₁ = 0` (x is a copy of a training point that occurs
    /// twice). `memorization` is the share of such samples; `nearestNeighbourDistance` is the
    /// mean of d₁.
    ///
    /// Candidates come from the GEMM distances; d₁ and d₂ are then recomputed directly as
    /// `‖x − t‖` in Double, so a copy of a training point has d₁ = 0, not the ~√ε‖x‖ that the
    /// expanded formula leaves. Needs n ≥ 1 samples and at least 2 training points.
    public static func trainingSetProximity<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, train: Matrix<Scalar>
    ) throws(MetricsError) -> TrainingSetProximity {
        try Validate.points(x, "samples", minimum: 1)
        try Validate.points(train, "training set", minimum: 2)
        try Validate.sameDimension(train, "training set", as: x)
        let blocks = PairwiseDistanceSweep(x, train).reduceRowBlocks(start: {
            NearestNeighbours<Scalar>(k: 2, points: $0)
        }) { $0.add($1) }
        return proximity(x, train: train, neighbours: blocks)
    }

    /// The two metrics from the two nearest candidates of every sample.
    static func proximity<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, train: Matrix<Scalar>, neighbours blocks: [NearestNeighbours<Scalar>]
    ) -> TrainingSetProximity {
        func distance(_ i: Int, _ t: Int) -> Double {
            zip(x.row(i), train.row(t)).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
                .squareRoot()
        }
        var memorised = 0, total = 0.0
        for block in blocks {
            for i in block.points {
                let a = distance(i, block.index(point: i, rank: 0)), b = distance(i, block.index(point: i, rank: 1))
                let (d1, d2) = (Swift.min(a, b), Swift.max(a, b))
                if d1 == 0 || 3 * d1 < d2 { memorised += 1 }
                total += d1
            }
        }
        let n = Double(x.rows)
        return TrainingSetProximity(memorization: Double(memorised) / n, nearestNeighbourDistance: total / n)
    }
}
