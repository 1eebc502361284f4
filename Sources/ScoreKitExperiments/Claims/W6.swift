import Foundation

/// W6 (papers.md §0.4(a), §4.4): perturbation sensitivity. The Jacobian of the sampling map
/// x_T ↦ x_final is, for the Gaussian model, `U diag(√(λ_k/(σ_T² + λ_k))) Uᵀ`: a perturbation of
/// the start passes through only along the top principal directions. Here the learned map's
/// Jacobian is probed by central finite differences along random unit directions and compared with
/// that prediction, direction by direction and principal component by principal component.
public struct W6Sensitivity: Experiment {
    public let id = "W6"
    public let paper = Paper.wangVastola
    public let claim = "The sampling map x_T ↦ x_0 of a trained model has the Gaussian model's low-rank Jacobian: perturbations pass mostly along the top principal components."
    public let criterion = """
    Trained digits MLP, Heun 18 Karras steps from σ_T = 80; J v by central differences (ε = 0.05) at random x_T along random \
    unit v; per PC u_k of the training split, the gain g_k = √(d · mean (u_kᵀ J v)²) (= ψ_k = √(λ_k/(σ_T² + λ_k)) for \
    the Gaussian). Holds if (a) ≥ 50 % of Σ‖J v‖² lies on the top 10 PCs and (b) the median over (x_T, v) of \
    ‖J v − J_G v‖/‖J_G v‖ is ≤ 0.5; partly holds if one of them; otherwise does not hold.
    """

    let model: TrainedDigitsModel.Configuration?
    let baseCount: Int?
    let directionCount: Int?

    public init() { self.init(model: nil, baseCount: nil, directionCount: nil) }

    /// Smaller runs for tests.
    init(model: TrainedDigitsModel.Configuration?, baseCount: Int?, directionCount: Int?) {
        self.model = model
        self.baseCount = baseCount
        self.directionCount = directionCount
    }

    static let sigmaT = 80.0
    static let epsilon = 0.05
    static let topComponents = 10

    /// The probed products J v (one row per base and direction) and the directions v.
    struct Probe {
        let jv: Matrix<Double>
        let directions: Matrix<Double>
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let trained = try TrainedDigitsModel.load(model ?? .standard(quick: context.quick, seed: context.seed),
                                                  cacheFolder: context.cacheFolder, progress: context.progress)
        let network = try trained.denoiser()
        let gaussian = try trained.gaussian()
        let bases = baseCount ?? (context.quick ? 4 : 8), directions = directionCount ?? (context.quick ? 8 : 32)
        let probe = try Self.probe(network, bases: bases, directions: directions, seed: context.seed)
        // The Gaussian's Jacobian applied to the same directions: flow(μ + v) − μ.
        let mean = gaussian.mean
        let predicted = try gaussian.flow(probe.directions.addingToRows(mean), from: Self.sigmaT, to: 0).addingToRows(mean.map { -$0 })
        let u = gaussian.eigenvectors
        let d = Double(gaussian.dimension)
        let learnedGain = Self.gains(probe.jv, u, dimension: d), gaussianGain = Self.gains(predicted, u, dimension: d)
        let psi = gaussian.eigenvalues.map { ($0 / (Self.sigmaT * Self.sigmaT + $0)).squareRoot() }
        let top = min(Self.topComponents, u.columns)
        let learnedShare = Self.share(learnedGain, top: top), gaussianShare = Self.share(gaussianGain, top: top)
        let deviations = zip((probe.jv - predicted).rowSquaredNorms(), predicted.rowSquaredNorms()).map { ($0 / $1).squareRoot() }
        let medianDeviation = ExactMath.median(deviations)
        let lowRank = learnedShare >= 0.5
        let matches = medianDeviation <= 0.5
        let verdict: Verdict = lowRank && matches ? .holds : (lowRank || matches ? .partlyHolds : .doesNotHold)

        var numbers: [String: Double] = ["learned_gain_share_top10": learnedShare, "gaussian_gain_share_top10": gaussianShare,
                                         "median_relative_deviation_from_gaussian": medianDeviation,
                                         "mean_norm_jv_learned": ChenSetup.mean(probe.jv.rowSquaredNorms().map { $0.squareRoot() }),
                                         "mean_norm_jv_gaussian": ChenSetup.mean(predicted.rowSquaredNorms().map { $0.squareRoot() })]
        for k in 0..<min(20, u.columns) {
            numbers["pc_\(k + 1).gain_learned"] = learnedGain[k]
            numbers["pc_\(k + 1).gain_gaussian"] = psi[k]
        }
        let f = ExactMath.format
        let reading = """
        Along \(bases * directions) random directions at \(bases) start points, \(f(100 * learnedShare)) % of the learned map's squared \
        gain lies on the top \(top) principal components (Gaussian model on the same directions: \(f(100 * gaussianShare)) %). \
        Mean ‖J v‖: learned \(f(numbers["mean_norm_jv_learned"] ?? .nan)), Gaussian \(f(numbers["mean_norm_jv_gaussian"] ?? .nan)); \
        the median relative deviation ‖J v − J_G v‖/‖J_G v‖ is \(f(medianDeviation)). Per-PC gains, learned vs ψ_k: \
        \((0..<min(5, u.columns)).map { "PC \($0 + 1): \(f(learnedGain[$0])) vs \(f(psi[$0]))" }.joined(separator: "; ")). \
        Criteria: (a) low rank \(lowRank ? "met" : "not met"), (b) close to the Gaussian \(matches ? "met" : "not met").
        """
        let index = (1...u.columns).map(Double.init)
        let figure = PlotSpec(
            title: "W6: gain of the sampling map x_T ↦ x_0 along each principal direction", xLabel: "principal component k (λ descending)",
            yLabel: "gain g_k = √(d · mean (u_kᵀ J v)²)", yScale: .log,
            series: [.init(label: "trained network (finite differences)", x: index, y: learnedGain.map { Swift.max($0, 1e-8) }, style: .linePoints),
                     .init(label: "Gaussian model, same directions", x: index, y: gaussianGain.map { Swift.max($0, 1e-8) }, style: .points),
                     .init(label: "Gaussian ψ_k = √(λ_k/(σ_T² + λ_k))", x: index, y: psi.map { Swift.max($0, 1e-8) }, style: .line)],
            markers: [.init(axis: .x, value: Double(top) + 0.5, label: "top \(top)")])
        return result(verdict: verdict, numbers: numbers, keyNumber: "learned_gain_share_top10", reading: reading,
                      figures: [.plot(figure)],
                      config: ["model": "\(trained.configuration)", "bases": "\(bases)", "directions": "\(directions)",
                               "epsilon": "\(Self.epsilon)", "sampler": "heun, 18 Karras steps", "seed": "\(context.seed)"])
    }

    /// J v ≈ (F(x_T + ε v) − F(x_T − ε v))/(2ε) for `directions` random unit v at each of `bases`
    /// random x_T = σ_T z, F = Heun with 18 Karras steps (all in one batch).
    static func probe<D: Denoiser>(_ denoiser: D, bases: Int, directions: Int, seed: UInt64) throws -> Probe where D.Scalar == Double {
        let dimension = denoiser.dimension
        let rng = CounterNormalRNG(seed: seed)
        let xT = rng.normals(rows: bases, columns: dimension, draw: 3, as: Double.self) * sigmaT
        let raw = rng.normals(rows: bases * directions, columns: dimension, draw: 4, as: Double.self)
        let v = raw.scalingRows(by: raw.rowSquaredNorms().map { 1 / $0.squareRoot() })
        let starts = xT.rows(at: (0..<bases * directions).map { $0 / directions })
        let both = Matrix<Double>(rowArrays: (0..<2 * v.rows).map { r in
            let i = r % v.rows, sign = r < v.rows ? epsilon : -epsilon
            return zip(starts.row(i), v.row(i)).map { $0 + sign * $1 }
        })
        let sigmas = try Schedule<Double>.karras(steps: 18, sigmaMin: 0.002, sigmaMax: sigmaT).sigmas
        var noise = NoNoise<Double>()
        let finals = try SamplerName.kdiffusion(.heun).sample(SamplingModel(denoiser), from: both, sigmas: sigmas, noise: &noise)
        let plus = finals.rows(0..<v.rows), minus = finals.rows(v.rows..<2 * v.rows)
        return Probe(jv: (plus - minus) * (1 / (2 * epsilon)), directions: v)
    }

    /// g_k = √(d · mean over rows of (u_kᵀ y)²) for the rows y of `outputs`.
    static func gains(_ outputs: Matrix<Double>, _ u: Matrix<Double>, dimension: Double) -> [Double] {
        let c = Matrix.product(outputs, u)
        return (0..<c.columns).map { k in (dimension * ChenSetup.mean((0..<c.rows).map { c[$0, k] * c[$0, k] })).squareRoot() }
    }

    /// The share of Σ g_k² on the first `top` components.
    static func share(_ gains: [Double], top: Int) -> Double {
        let squares = gains.map { $0 * $0 }
        let total = squares.reduce(0, +)
        return total > 0 ? squares.prefix(top).reduce(0, +) / total : .nan
    }
}
