import Foundation
import ScoreKitIO

/// The data, exact denoisers, grids and start states of Chen et al.'s claims C1, C3 and C4
/// (papers.md §2.1, §2.5): EDM's VE setting, σ_T = 80, x_T = σ_T z.
enum ChenSetup {
    static let sigmaMax = 80.0
    static let sigmaMin = 0.002

    /// The Karras ρ = 7 grid from σ_T = 80 to 0.002 with `steps` nonzero σ and a final 0.
    static func karras(steps: Int) throws -> [Double] {
        try Schedule<Double>.karras(steps: steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax).sigmas
    }

    /// The start states σ_T z of `count` samples (draw 0 of `CounterNormalRNG(seed)`).
    static func start(count: Int, dimension: Int, seed: UInt64) -> Matrix<Double> {
        CounterNormalRNG(seed: seed).normals(rows: count, columns: dimension, draw: 0, as: Double.self) * sigmaMax
    }

    /// The exact denoiser of ring8 (8 equal Gaussians of std 0.1 on a circle of radius 2, d = 2).
    static func ring() throws -> GaussianMixtureDenoiser<Double> {
        let ring = try IsotropicMixture<Double>.ring()
        let covariances = ring.standardDeviations.map { s in Matrix<Double>.identity(ring.dimension) * (s * s) }
        return try GaussianMixtureDenoiser(weights: ring.weights, means: ring.means, covariances: covariances)
    }

    /// A "generalising" 64-d model with digit-like scale: 10 equal components with means m_k ~ N(0, ¼ I)
    /// and covariances S_k = ¼ A_k A_kᵀ/8 + 0.01 I with A_k a 64 × 8 standard-normal matrix (a
    /// low-rank structure plus a little isotropic noise), drawn from `seed`.
    static func mixture64(seed: UInt64, components: Int = 10, dimension: Int = 64, rank: Int = 8) throws -> GaussianMixtureDenoiser<Double> {
        let rng = CounterNormalRNG(seed: seed ^ 0x6D69_7874_7572_6536)
        let means = rng.normals(rows: components, columns: dimension, draw: 0, as: Double.self) * 0.5
        let covariances = (0..<components).map { k in
            let a = rng.normals(rows: dimension, columns: rank, draw: k + 1, as: Double.self)
            return Matrix.product(a, a, transposeB: true, alpha: 0.25 / Double(rank)) + Matrix<Double>.identity(dimension) * 0.01
        }
        return try GaussianMixtureDenoiser(weights: [Double](repeating: 1 / Double(components), count: components),
                                           means: means, covariances: covariances)
    }

    /// The 1,797 bundled digits in [−1, 1] (d = 64), or the first `limit` of them.
    static func digits(limit: Int? = nil) throws -> Matrix<Double> {
        let images = try Digits<Double>.load().images
        return limit.map { images.rows(0..<min($0, images.rows)) } ?? images
    }

    /// Euler along `sigmas` from `start`, recorded (deterministic: no noise is drawn).
    static func eulerRecord<D: Denoiser>(_ denoiser: D, start: Matrix<Double>, sigmas: [Double]) throws
        -> TrajectoryRecord<Double> where D.Scalar == Double {
        var noise = NoNoise<Double>()
        return try SamplerName.kdiffusion(.euler).record(denoiser, from: start, sigmas: sigmas, noise: &noise)
    }

    static func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }

    static func format(_ v: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)g", v) }
}

/// Chen et al. O1 (papers.md §2.2, §2.5 C1): the sampling trajectory is quasi-linear — and more so
/// as the dimension grows. Euler, 100 steps on the ρ = 7 grid from σ_T = 80, with exact denoisers
/// on ring8 (d = 2), a 10-component GMM in d = 64 and the digits' empirical distribution (d = 64).
public struct C1QuasiLinearTrajectories: Experiment {
    public let id = "C1"
    public let paper = Paper.chen
    public let claim = "The sampling trajectory is quasi-linear: it stays close to the chord x_T→x_0 in high dimension, unlike in 2-D."
    public let criterion = """
    Euler, 100 steps, Karras ρ = 7, σ 80→0.002, exact denoisers. Per path: max deviation from the chord / chord length, \
    batch-mean cos(D_n − x_n, x_0 − x_n) per step, top-2 PCA share of the path's points. Holds if, for both d = 64 sets \
    (GMM-10, digits), (a) the mean max deviation ≤ 0.05, (b) batch-mean cos > 0.95 on at least half of the steps, \
    (c) the mean top-2 share > 0.99, and (d) the 2-D ring's mean max deviation exceeds both d = 64 values; \
    does not hold if none of (a)–(c) is met in either d = 64 set; partly holds otherwise.
    """

    let steps: Int
    let sizeOverride: Int?
    let digitsLimit: Int?

    public init() { self.init(steps: 100, batch: nil, digitsLimit: nil) }

    /// Smaller runs for tests: fewer steps, `batch` trajectories per set, the first `digitsLimit` digits.
    init(steps: Int, batch: Int?, digitsLimit: Int?) {
        self.steps = steps
        self.sizeOverride = batch
        self.digitsLimit = digitsLimit
    }

    /// One data set's measurements.
    struct Measured {
        let name: String
        let key: String
        let dimension: Int
        let geometry: TrajectoryGeometry
        let record: TrajectoryRecord<Double>

        var maxDeviation: Double { geometry.meanMaxDeviation }
        /// Batch-mean cosines at the steps before the end (the end has no direction to the end).
        var stepCosines: [Double] { Array(geometry.cosineToFinal.dropLast()) }
        var meanCosine: Double { ChenSetup.mean(stepCosines) }
        var cosineShareAbove95: Double {
            stepCosines.isEmpty ? 0 : Double(stepCosines.filter { $0 > 0.95 }.count) / Double(stepCosines.count)
        }
        var topTwoShare: Double { geometry.meanPrincipalShares[1] }
        var normRatio: Double { geometry.samplingNorm[0] / (ChenSetup.sigmaMax * Double(dimension).squareRoot()) }
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let batch = sizeOverride ?? (context.quick ? 32 : 128)
        let sigmas = try ChenSetup.karras(steps: steps)
        var measured = [Measured]()
        func measure<D: Denoiser>(_ name: String, _ key: String, _ denoiser: D, seedOffset: UInt64) throws where D.Scalar == Double {
            let start = ChenSetup.start(count: batch, dimension: denoiser.dimension, seed: context.seed &+ seedOffset)
            let record = try ChenSetup.eulerRecord(denoiser, start: start, sigmas: sigmas)
            measured.append(Measured(name: name, key: key, dimension: denoiser.dimension,
                                     geometry: try TrajectoryGeometry(record), record: record))
            context.progress(measured.count, 3)
        }
        try measure("ring8, d = 2 (exact GMM)", "ring", try ChenSetup.ring(), seedOffset: 0)
        try measure("GMM-10, d = 64 (exact)", "gmm64", try ChenSetup.mixture64(seed: context.seed), seedOffset: 1)
        try measure("digits, d = 64 (empirical)", "digits", try EmpiricalDenoiser(data: try ChenSetup.digits(limit: digitsLimit)), seedOffset: 2)

        var numbers = [String: Double]()
        for m in measured {
            numbers["\(m.key).max_deviation_over_chord"] = m.maxDeviation
            numbers["\(m.key).mean_cos"] = m.meanCosine
            numbers["\(m.key).share_of_steps_cos_above_0.95"] = m.cosineShareAbove95
            numbers["\(m.key).top2_pca_share"] = m.topTwoShare
            numbers["\(m.key).top1_pca_share"] = m.geometry.meanPrincipalShares[0]
            numbers["\(m.key).norm_xT_over_sigmaT_sqrt_d"] = m.normRatio
        }
        let high = measured.dropFirst()
        let a = high.allSatisfy { $0.maxDeviation <= 0.05 }
        let b = high.allSatisfy { $0.cosineShareAbove95 >= 0.5 }
        let c = high.allSatisfy { $0.topTwoShare > 0.99 }
        let d = high.allSatisfy { measured[0].maxDeviation > $0.maxDeviation }
        let anyMet = high.contains { $0.maxDeviation <= 0.05 || $0.cosineShareAbove95 >= 0.5 || $0.topTwoShare > 0.99 }
        let verdict: Verdict = a && b && c && d ? .holds : (anyMet ? .partlyHolds : .doesNotHold)
        let key = "max dev/chord: " + measured.map { "\($0.key) \(ChenSetup.format($0.maxDeviation, 2))" }.joined(separator: ", ")
        let dimensionHolds = "The 2-D path strays further from its chord than the d = 64 paths, as the claim's dimension dependence says."
        let dimensionFails = """
        At σ_T = 80 most of every path is the straight shrinking of σ_T z towards the data, so relative to the chord length the \
        deviation is small in every dimension, the 2-D ring included; the dimension dependence shows instead in the direction \
        of the steps (share of steps with cos > 0.95: \(measured.map { "\($0.key) \(ChenSetup.format($0.cosineShareAbove95, 2))" }.joined(separator: ", "))).
        """
        let reading = """
        Mean max deviation from the chord, relative to its length: \(measured.map { "\($0.name) \(ChenSetup.format($0.maxDeviation))" }.joined(separator: "; ")). \
        Top-2 PCA share of a path: \(measured.map { "\($0.key) \(ChenSetup.format($0.topTwoShare, 4))" }.joined(separator: ", ")); \
        mean cos to the end: \(measured.map { "\($0.key) \(ChenSetup.format($0.meanCosine))" }.joined(separator: ", ")). \
        ‖x_T‖/(σ_T√d): \(measured.map { "\($0.key) \(ChenSetup.format($0.normRatio))" }.joined(separator: ", ")). \
        Criteria (a) deviation \(a ? "met" : "not met"), (b) cosine \(b ? "met" : "not met"), (c) PCA \(c ? "met" : "not met"), \
        (d) 2-D more curved \(d ? "yes" : "no"). \(d ? dimensionHolds : dimensionFails)
        """
        return result(verdict: verdict, numbers: numbers, keyNumber: key, reading: reading,
                      figures: [deviationFigure(measured)] + measured.map(projectionFigure),
                      config: ["sampler": "euler", "steps": String(steps), "schedule": "karras rho=7, 0.002..80",
                               "trajectories_per_set": String(batch), "digits": String(digitsLimit ?? 1797)])
    }

    private func deviationFigure(_ measured: [Measured]) -> Figure {
        .plot(PlotSpec(
            title: "C1: distance from the chord along the path", xLabel: "σ (noise level, log scale)",
            yLabel: "mean deviation / chord length", xScale: .log,
            series: measured.map { .init(label: $0.name, x: $0.record.sigmas, y: $0.geometry.meanDeviation) },
            markers: [.init(axis: .y, value: 0.05, label: "5 % criterion")]))
    }

    /// A few paths, each in the plane of its own top two principal components, centred at its end
    /// and scaled by its chord length (start on the positive first axis).
    private func projectionFigure(_ m: Measured) -> Figure {
        let series = (0..<min(4, m.record.rows)).map { b -> PlotSpec.Series in
            let points = Matrix<Double>(rowArrays: m.record.x.map { Array($0.row(b)) })
            let (u, v) = C1QuasiLinearTrajectories.projection(points)
            return .init(label: "path \(b + 1)", x: u, y: v, style: .linePoints)
        }
        return .plot(PlotSpec(title: "C1: paths in their top-2 PCA plane, \(m.name)",
                              xLabel: "PC 1 / chord length (0 = end x₀)", yLabel: "PC 2 / chord length",
                              series: series, equalAspect: true))
    }

    /// Coordinates of the rows of `points` (T × d) on their top two principal axes, relative to the
    /// last row and divided by the first-to-last distance; signs chosen so the start has PC 1 > 0
    /// and the largest PC 2 excursion is positive.
    static func projection(_ points: Matrix<Double>) -> (u: [Double], v: [Double]) {
        let t = points.rows, d = points.columns
        let centred = points.addingToRows(points.columnMeans().map { -$0 })
        let axes: [[Double]]
        if let eigen = try? Matrix.product(centred, transposeA: true, centred).symmetricEigen(), d >= 2 {
            axes = [d - 1, d - 2].map { k in (0..<d).map { eigen.vectors[$0, k] } }
        } else {
            axes = [[Double](repeating: 0, count: d), [Double](repeating: 0, count: d)]
        }
        let end = Array(points.row(t - 1))
        let chord = zip(points.row(0), end).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let scale = chord > 0 ? 1 / chord : 1
        var coordinates = axes.map { axis in
            (0..<t).map { i in zip(zip(points.row(i), end), axis).reduce(0) { $0 + ($1.0.0 - $1.0.1) * $1.1 } * scale }
        }
        if (coordinates[0].first ?? 0) < 0 { coordinates[0] = coordinates[0].map { -$0 } }
        if let extreme = coordinates[1].max(by: { abs($0) < abs($1) }), extreme < 0 { coordinates[1] = coordinates[1].map { -$0 } }
        return (coordinates[0], coordinates[1])
    }
}
