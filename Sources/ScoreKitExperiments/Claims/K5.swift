import Foundation
import ScoreKitIO

/// K5 (papers.md §1.5, Kim — reconstruction [I], optional in the plan): the 8×8 digits (d = 64,
/// 1797 images in [−1, 1]). (a) The exact optimal multiplicative field f* of the training set
/// (a delta mixture over L geometric levels 20 → 0.05) carries noise to training digits: the flow
/// dx/dτ = f*(x) memorises. (b) A small multiplicative MLP f (no noise input) trained briefly with
/// the NCSNv2 loss on the same levels: its equilibria (damped Newton from the endpoints of its own
/// long-time flow) are compared with the training set by nearest-neighbour distance.
public struct K5DigitsEquilibria: Experiment {
    public let id = "K5"
    public let paper = Paper.kim
    public let claim = "On 8×8 digits the exact multiplicative field's flow ends at training digits (memorisation), while a small trained multiplicative network has digit-like equilibria near, but not on, the training set."
    public let criterion = "Levels geometric 20 → 0.05, starts σ_1 z. (i) Exact f*: ≥ 90 % of the endpoints of the long-time flow (RK4, dτ = σ_min, τ_end = σ_1 − σ_L then up to 5 τ_end more) lie within 1e-3 of a training digit; (ii) learned f: the median nearest-training-digit distance of its stable equilibria is ≤ the median leave-one-out nearest-neighbour distance among the training digits (they are as close to the data as a training digit is to the others). Holds if both pass, partly holds if one passes, does not hold if none."

    let trainingSteps: Int?
    let sampleCount: Int?
    let levelCount: Int?
    let width: Int?
    /// Training digits used (nil = all 1797; tests use fewer).
    let digitCount: Int?
    /// σ_L, also the RK4 step dτ (the exact field's fastest rate near the data is 1/σ_L).
    let sigmaMin: Double

    public init() { self.init(trainingSteps: nil, sampleCount: nil, levelCount: nil, width: nil, digitCount: nil, sigmaMin: 0.05) }

    /// Other sizes (tests); nil = the plan's for `context.quick`.
    init(trainingSteps: Int?, sampleCount: Int?, levelCount: Int?, width: Int?, digitCount: Int?, sigmaMin: Double) {
        self.trainingSteps = trainingSteps
        self.sampleCount = sampleCount
        self.levelCount = levelCount
        self.width = width
        self.digitCount = digitCount
        self.sigmaMin = sigmaMin
    }

    static let sigmaMax = 20.0

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let steps = trainingSteps ?? (context.quick ? 500 : 10000)
        let width = self.width ?? (context.quick ? 64 : 256)
        let batch = context.quick ? 128 : 256
        let n = sampleCount ?? (context.quick ? 6 : 48)
        let l = levelCount ?? (context.quick ? 10 : 50)
        let all = try Digits<Double>.load().images
        let data = digitCount.map { all.rows(0..<min($0, all.rows)) } ?? all
        let levels = try ExactMath.geometricLevels(count: l, sigmaMax: Self.sigmaMax, sigmaMin: sigmaMin)
        let starts = CounterNormalRNG(seed: context.seed).normals(rows: n, columns: data.columns, draw: 0, as: Double.self) * Self.sigmaMax
        let tauEnd = Self.sigmaMax - sigmaMin
        context.progress(0, 3)

        // (a) Exact f*: finite horizon, then the long-time flow (stopping at equilibrium).
        let exactField = VectorField(try MultiplicativeOptimalField(base: try EmpiricalDenoiser(data: data), levels: levels))
        let exactFlow = ExactFlowIntegrator(field: exactField, maxStep: sigmaMin)
        let finite = try exactFlow.run(starts, horizon: tauEnd)
        let long = try exactFlow.run(finite.x, horizon: 5 * tauEnd, stopResidual: 1e-10)
        let finiteDistances = ExactMath.nearestDistances(finite.x, to: data)
        let exactDistances = ExactMath.nearestDistances(long.x, to: data)
        let memorised = Double(exactDistances.filter { $0 <= 1e-3 }.count) / Double(n)
        context.progress(1, 3)

        // (b) The trained multiplicative MLP: its long-time flow from the same starts, then Newton there.
        let config = try ToyTrainedModel.configuration(
            network: ToyTrainedModel.network(dimension: data.columns, width: width, multiplicative: true),
            parameterization: .multiplicative,
            noise: .geometricLevels(minimum: sigmaMin, maximum: Self.sigmaMax, count: l), weighting: .inverseVariance,
            steps: steps, batchSize: batch, seed: context.seed)
        guard let network = try ToyTrainedModel(configuration: config, data: data.converted(to: Float.self), cacheFolder: context.cacheFolder)
            .denoisers(at: [steps], weights: .ema)[steps] else { throw ExperimentError.failed(id: id, reason: "no trained model") }
        let learnedField = VectorField<Double>(dimension: data.columns) { x in try network.denoise(x, sigma: 1) - x }
        let learnedEnd = try ExactFlowIntegrator(field: learnedField, maxStep: sigmaMin).run(starts, horizon: tauEnd, stopResidual: 1e-8).x
        context.progress(2, 3)
        let equilibria = try EquilibriumSearch.run(learnedField, starts: learnedEnd, trainingData: data,
                                                   options: EquilibriumSearchOptions(maxIterations: 50, tolerance: 1e-6, mergeDistance: 1e-4, jacobianStep: 1e-5))
        let stable = equilibria.filter { $0.stability == .stable }
        let stableDistances = stable.compactMap(\.nearestTrainingDistance)
        let leaveOneOut = Self.leaveOneOutDistances(data)
        let dataScale = ExactMath.median(leaveOneOut)
        let learnedMedian = stableDistances.isEmpty ? Double.infinity : ExactMath.median(stableDistances)
        context.progress(3, 3)

        let passes = [memorised >= 0.9, learnedMedian <= dataScale]
        let passed = passes.filter { $0 }.count
        let verdict: Verdict = passed == passes.count ? .holds : (passed > 0 ? .partlyHolds : .doesNotHold)
        var numbers: [String: Double] = [
            "exact_memorised_fraction": memorised, "exact_median_distance_tau_end": ExactMath.median(finiteDistances),
            "exact_max_distance_long": exactDistances.max() ?? .nan,
            "learned_equilibria": Double(equilibria.count), "learned_stable_equilibria": Double(stable.count),
            "learned_flow_median_nn_distance": ExactMath.median(ExactMath.nearestDistances(learnedEnd, to: data)),
            "data_median_leave_one_out_nn_distance": dataScale,
        ]
        if let closest = stableDistances.min() {
            numbers["learned_median_nn_distance"] = learnedMedian
            numbers["learned_min_nn_distance"] = closest
            numbers["learned_to_data_distance_ratio"] = learnedMedian / dataScale
        }

        /// The nearest training digit of each point.
        func nearest(_ points: [[Double]]) -> [[Double]] {
            let squared = Matrix(rowArrays: points).squaredDistances(to: data)
            return points.indices.map { i in
                Array(data.row((0..<data.rows).min { squared[i, $0] < squared[i, $1] } ?? 0))
            }
        }
        let shownExact = (0..<min(n, 12)).map { Array(long.x.row($0)) }
        let shownLearned = Array(stable.prefix(12).map(\.point))
        var figures = [Figure]()
        figures.append(.imageGrid(ImageGridSpec(title: "Exact f*: long-time endpoints (top) and their nearest training digits (bottom)",
                                                height: 8, width: 8, columns: shownExact.count, images: shownExact + nearest(shownExact))))
        if !shownLearned.isEmpty {
            figures.append(.imageGrid(ImageGridSpec(title: "Learned f: stable equilibria (top) and their nearest training digits (bottom)",
                                                    height: 8, width: 8, columns: shownLearned.count,
                                                    images: shownLearned.map { $0.map { min(max($0, -1), 1) } } + nearest(shownLearned))))
        }
        let reading = "Exact f* (L = \(l)): at τ_end the median distance to the nearest training digit is \(ExactMath.format(ExactMath.median(finiteDistances))); after the long-time flow \(ExactMath.format(100 * memorised)) % of \(n) endpoints are within 1e-3 of a training digit (worst \(ExactMath.format(exactDistances.max() ?? .nan))): the exact field memorises. The trained multiplicative MLP (\(steps) steps) has \(equilibria.count) equilibria from its flow endpoints, \(stable.count) stable, at median distance \(ExactMath.format(learnedMedian)) from the training set (min \(ExactMath.format(stableDistances.min() ?? .nan)); Newton tolerance max|f| ≤ 1e-6), against a median leave-one-out distance of \(ExactMath.format(dataScale)) between training digits."
        return result(verdict: verdict, numbers: numbers, keyNumber: stable.isEmpty ? "learned_stable_equilibria" : "learned_to_data_distance_ratio", reading: reading, figures: figures,
                      config: ["data": "\(data.rows) digits, [−1, 1]", "levels": "\(l) geometric 20 → \(sigmaMin)", "starts": "\(n)",
                               "network": "multiplicative residual MLP width \(width), depth 2", "training": "Adam 1e-3, batch \(batch), \(steps) steps, EMA 0.995",
                               "seed": "\(context.seed)"])
    }

    /// For every row, the distance to the nearest *other* row.
    static func leaveOneOutDistances(_ data: Matrix<Double>) -> [Double] {
        let squared = data.squaredDistances(to: data)
        return (0..<data.rows).map { i in
            (0..<data.rows).filter { $0 != i }.map { max(squared[i, $0], 0) }.min()?.squareRoot() ?? .infinity
        }
    }
}
