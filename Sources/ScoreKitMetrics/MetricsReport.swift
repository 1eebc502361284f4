/// Every applicable metric of one sample against a reference: what `scorekit eval --json`
/// writes. The JSON keys are the metric names below; the optional ones appear only when their
/// inputs (a Gaussian mixture, a training set) were given.
public struct MetricsReport: Sendable, Hashable, Codable {
    /// MMD²_u averaged over the RBF scales ½, 1, 2 of the median-heuristic bandwidth
    /// (`Metrics.maximumMeanDiscrepancy`).
    public var mmd: Double
    /// Energy distance, V-statistic (`Metrics.energyDistance`).
    public var energyDistance: Double
    /// Sliced W₂ over 128 seeded directions (`Metrics.slicedWasserstein2`).
    public var slicedW2: Double
    /// Fréchet distance of the Gaussian fits (`Metrics.frechetDistance`).
    public var fd: Double
    /// k-NN precision and recall, k = 3 (`Metrics.precisionRecall`).
    public var precision: Double
    public var recall: Double
    /// Average negative log-likelihood of the samples under the given mixture, in nats.
    public var nllGMM: Double?
    /// Memorisation ratio against the training set (`Metrics.trainingSetProximity`).
    public var memorization: Double?
    /// Mean distance from a sample to its nearest training point.
    public var nnDistance: Double?

    enum CodingKeys: String, CodingKey {
        case mmd, fd, precision, recall, memorization
        case energyDistance = "energy_distance"
        case slicedW2 = "sliced_w2"
        case nllGMM = "nll_gmm"
        case nnDistance = "nn_distance"
    }

    /// Computes every metric that the inputs allow. Samples and reference need at least two
    /// points each, all sets one dimension; `seed` picks the sliced-W₂ directions.
    ///
    /// The pairwise metrics share their distances: each of the sweeps samples×samples,
    /// reference×reference (upper triangles) and samples×reference is computed once and feeds
    /// MMD, the energy distance and the k-NN manifolds together.
    public static func evaluate<Scalar: MatrixScalar>(
        samples x: Matrix<Scalar>, reference y: Matrix<Scalar>, train: Matrix<Scalar>? = nil,
        mixture: GaussianMixtureParameters<Scalar>? = nil, seed: UInt64 = 0
    ) throws(MetricsError) -> MetricsReport {
        try Metrics.validatePair(x, y, minimum: 2)
        let kernels = try RBFKernelFamily.medianHeuristic(x, y)
        let k = Metrics.manifoldNeighbours
        let (xx, radiiX) = withinSet(x, kernels: kernels, neighbourRank: Swift.min(k, x.rows - 1))
        let (yy, radiiY) = withinSet(y, kernels: kernels, neighbourRank: Swift.min(k, y.rows - 1))
        let cross = PairwiseDistanceSweep(x, y).reduceRowBlocks(start: { rows in
            (sums: PairSums<Scalar>(kernel: kernels, withDistances: true), cover: ManifoldCoverage<Scalar>(rows: rows, columns: y.rows))
        }) { acc, tile in
            acc.sums.add(tile)
            acc.cover.add(tile, radiiOfRows: radiiX, radiiOfColumns: radiiY)
        }
        let sums = PairwiseSums(n: x.rows, m: y.rows, xx: xx, yy: yy, xy: PairwiseSums.total(cross.map(\.sums)))
        let manifold = ManifoldCoverage.result(cross.map(\.cover))
        let proximity = try train.map { t throws(MetricsError) in try Metrics.trainingSetProximity(x, train: t) }
        return MetricsReport(
            mmd: sums.mmd(kernels).value,
            energyDistance: sums.energyDistance,
            slicedW2: try Metrics.slicedWasserstein2(x, y, seed: seed),
            fd: try Metrics.frechetDistance(x, y),
            precision: manifold.precision,
            recall: manifold.recall,
            nllGMM: try mixture.map { m throws(MetricsError) in try Metrics.gaussianMixtureNLL(x, mixture: m) },
            memorization: proximity?.memorization,
            nnDistance: proximity?.nearestNeighbourDistance)
    }

    /// One triangular sweep of a set with itself: the pair sums of MMD and the energy distance
    /// over all ordered pairs, and every point's squared distance to its `neighbourRank`-th neighbour.
    private static func withinSet<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, kernels: RBFKernelFamily, neighbourRank: Int
    ) -> (sums: (kernels: [Double], distance: Double), radii: [Scalar]) {
        let (radii, sums) = PairwiseDistanceSweep(within: x).neighbourRadii(rank: neighbourRank, companion: { _ in
            PairSums<Scalar>(kernel: kernels, withDistances: true)
        }) { $0.add($1) }
        return (PairwiseSums.total(sums), radii)
    }
}
