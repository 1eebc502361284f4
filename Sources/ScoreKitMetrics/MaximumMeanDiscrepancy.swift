/// The unbiased estimate of the squared maximum mean discrepancy and what it was computed with.
public struct MMDEstimate: Sendable, Hashable {
    /// The mean of `perScale`: the reported `mmd`.
    public let value: Double
    /// MMD²_u for the kernels of scale ½, 1, 2 (`RBFKernelFamily.scales`).
    public let perScale: [Double]
    public let kernels: RBFKernelFamily
}

extension Metrics {
    /// Squared maximum mean discrepancy, unbiased U-statistic (Gretton et al. 2012, Lemma 6),
    /// averaged over the three RBF kernels of `RBFKernelFamily`:
    ///
    /// `MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_{i,j} k(x_i, y_j)`.
    ///
    /// This is the squared distance (not its root) and can be slightly negative when the two
    /// distributions agree. `kernels` defaults to the median heuristic on the pooled sample.
    /// Needs n, m ≥ 2.
    public static func maximumMeanDiscrepancy<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>, kernels: RBFKernelFamily? = nil
    ) throws(MetricsError) -> MMDEstimate {
        try validatePair(x, y, minimum: 2)
        let family: RBFKernelFamily
        if let kernels { family = kernels } else { family = try RBFKernelFamily.medianHeuristic(x, y) }
        let sums = PairwiseSums(x, y, kernels: family, withDistances: false)
        return sums.mmd(family)
    }

    /// Energy distance, V-statistic (Székely & Rizzo 2013, eq. 2):
    /// `2/(nm) Σ_{i,j} ‖x_i − y_j‖ − 1/n² Σ_{i,j} ‖x_i − x_j‖ − 1/m² Σ_{i,j} ‖y_i − y_j‖`.
    ///
    /// It is ≥ 0 and 0 only for equal empirical distributions; for two point masses a and b it
    /// is `2‖a − b‖`. Needs n, m ≥ 1.
    public static func energyDistance<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>
    ) throws(MetricsError) -> Double {
        try validatePair(x, y, minimum: 1)
        return PairwiseSums(x, y, kernels: nil, withDistances: true).energyDistance
    }

    /// Both sets have at least `minimum` finite points of one dimension.
    static func validatePair<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>, minimum: Int
    ) throws(MetricsError) {
        try Validate.points(x, "samples", minimum: minimum)
        try Validate.points(y, "reference", minimum: minimum)
        try Validate.sameDimension(y, "reference", as: x)
    }
}

/// The within-x, within-y and cross sums of `PairSums`, over all ordered pairs.
struct PairwiseSums {
    let n: Double, m: Double
    let xx: (kernels: [Double], distance: Double)
    let yy: (kernels: [Double], distance: Double)
    let xy: (kernels: [Double], distance: Double)

    /// Sweeps x with itself and y with itself over the upper triangle, then x against y.
    init<Scalar: MatrixScalar>(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>, kernels: RBFKernelFamily?, withDistances: Bool) {
        func sums(_ sweep: PairwiseDistanceSweep<Scalar>, triangular: Bool) -> (kernels: [Double], distance: Double) {
            let parts = sweep.reduceRowBlocks(triangular: triangular, start: { _ in
                PairSums<Scalar>(kernel: kernels, withDistances: withDistances)
            }) { $0.add($1) }
            return Self.total(parts)
        }
        self.init(n: x.rows, m: y.rows,
                  xx: sums(PairwiseDistanceSweep(within: x), triangular: true),
                  yy: sums(PairwiseDistanceSweep(within: y), triangular: true),
                  xy: sums(PairwiseDistanceSweep(x, y), triangular: false))
    }

    init(n: Int, m: Int, xx: (kernels: [Double], distance: Double), yy: (kernels: [Double], distance: Double),
         xy: (kernels: [Double], distance: Double)) {
        (self.n, self.m, self.xx, self.yy, self.xy) = (Double(n), Double(m), xx, yy, xy)
    }

    /// The merged sums of the accumulators of one sweep.
    static func total<Scalar>(_ parts: [PairSums<Scalar>]) -> (kernels: [Double], distance: Double) {
        var all = parts[0]
        for part in parts.dropFirst() { all.merge(part) }
        return (all.kernelSums, all.distanceSum)
    }

    /// MMD²_u per scale; the within-set sums include the diagonal (k = 1 there), which the
    /// U-statistic leaves out.
    func mmd(_ family: RBFKernelFamily) -> MMDEstimate {
        let perScale = (0..<3).map { s in
            (xx.kernels[s] - n) / (n * (n - 1)) + (yy.kernels[s] - m) / (m * (m - 1)) - 2 * xy.kernels[s] / (n * m)
        }
        return MMDEstimate(value: perScale.reduce(0, +) / 3, perScale: perScale, kernels: family)
    }

    var energyDistance: Double { 2 * xy.distance / (n * m) - xx.distance / (n * n) - yy.distance / (m * m) }
}
