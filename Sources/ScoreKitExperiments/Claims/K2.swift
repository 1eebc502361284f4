import Foundation

/// K2 (papers.md §1.5, Kim — reconstruction [I, N]): finite versus infinite horizon of the
/// autonomous flow dx/dτ = f*(x) of the optimal multiplicative model, and the number of levels L.
/// The PF-ODE from σ_1 to σ_L is this flow over τ_end = σ_1 − σ_L (§1.3); the "infinite horizon"
/// is τ = 50 τ_end. Data: random training points in d = 64 (delta mixture), exact f* (§1.2).
public struct K2HorizonAndLevels: Experiment {
    public let id = "K2"
    public let paper = Paper.kim
    public let claim = "The long-time flow of the optimal multiplicative field always reaches training points; the finite-horizon PF-ODE does so only when there are enough noise levels for the posterior over σ to track the true σ."
    public let criterion = "d = 64, 16 training points ~ N(0, I), geometric levels 10 → 0.01, L ∈ {5, 10, 30, 100}, starts σ_1 z, RK4 in τ with dτ = σ_min: (i) for every L every endpoint at τ = 50 τ_end lies within 1e-6 of a training point; (ii) the median distance to the nearest training point at τ_end = σ_1 − σ_L is ≤ 1e-3 for the largest L (100) and > 1e-3 for the smallest (5). Holds if (i) and (ii), partly holds if one of them, does not hold if neither."

    let dimension: Int
    let pointCount: Int
    let levelCounts: [Int]
    let sampleCount: Int?
    /// σ_L, also the RK4 step dτ (the field's fastest rate near the data is 1/σ_L).
    let sigmaMin: Double

    public init() { self.init(dimension: 64, pointCount: 16, levelCounts: [5, 10, 30, 100], sampleCount: nil, sigmaMin: 0.01) }

    /// Smaller sizes for tests (a larger σ_L means fewer RK4 steps).
    init(dimension: Int, pointCount: Int, levelCounts: [Int], sampleCount: Int?, sigmaMin: Double) {
        self.dimension = dimension
        self.pointCount = pointCount
        self.levelCounts = levelCounts
        self.sampleCount = sampleCount
        self.sigmaMin = sigmaMin
    }

    static let sigmaMax = 10.0
    static let horizonMultiple = 50.0

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let samples = sampleCount ?? (context.quick ? 16 : 64)
        let rng = CounterNormalRNG(seed: context.seed)
        let data = rng.normals(rows: pointCount, columns: dimension, draw: 0, as: Double.self)
        let starts = rng.normals(rows: samples, columns: dimension, draw: 1, as: Double.self) * Self.sigmaMax
        let base = try EmpiricalDenoiser(data: data)
        let tauEnd = Self.sigmaMax - sigmaMin

        var finiteMedian = [Double](), finiteMax = [Double](), infiniteMedian = [Double](), infiniteMax = [Double]()
        var stoppedAt = [Double]()
        for (k, levelCount) in levelCounts.enumerated() {
            context.progress(k, levelCounts.count)
            let levels = try ExactMath.geometricLevels(count: levelCount, sigmaMax: Self.sigmaMax, sigmaMin: sigmaMin)
            let flow = ExactFlowIntegrator(field: VectorField(try MultiplicativeOptimalField(base: base, levels: levels)),
                                           maxStep: sigmaMin)
            let finite = try flow.run(starts, horizon: tauEnd)
            // Continue to 50 τ_end; a state with max|f*| ≤ 1e-12 is at an equilibrium and stays there.
            let infinite = try flow.run(finite.x, horizon: (Self.horizonMultiple - 1) * tauEnd, stopResidual: 1e-12)
            let atEnd = ExactMath.nearestDistances(finite.x, to: data)
            let atInfinity = ExactMath.nearestDistances(infinite.x, to: data)
            finiteMedian.append(ExactMath.median(atEnd))
            finiteMax.append(atEnd.max() ?? .nan)
            infiniteMedian.append(ExactMath.median(atInfinity))
            infiniteMax.append(atInfinity.max() ?? .nan)
            stoppedAt.append((tauEnd + infinite.tau) / tauEnd)
        }
        context.progress(levelCounts.count, levelCounts.count)

        let infiniteOK = infiniteMax.allSatisfy { $0 <= 1e-6 }
        // The sweep is ascending in L: its first entry has the fewest levels, its last the most.
        let finiteOK = (finiteMedian.last ?? .infinity) <= 1e-3 && (finiteMedian.first ?? 0) > 1e-3
        let verdict: Verdict = infiniteOK && finiteOK ? .holds : (infiniteOK || finiteOK ? .partlyHolds : .doesNotHold)

        var numbers: [String: Double] = ["worst_infinite_horizon_distance": infiniteMax.max() ?? .nan, "tau_end": tauEnd]
        for (k, l) in levelCounts.enumerated() {
            numbers["median_distance_tau_end_L\(l)"] = finiteMedian[k]
            numbers["max_distance_tau_end_L\(l)"] = finiteMax[k]
            numbers["median_distance_50tau_end_L\(l)"] = infiniteMedian[k]
            numbers["max_distance_50tau_end_L\(l)"] = infiniteMax[k]
            numbers["converged_by_tau_over_tau_end_L\(l)"] = stoppedAt[k]
        }
        let floor = 1e-17
        let ls = levelCounts.map(Double.init)
        let figure = PlotSpec(
            title: "Distance of the flow's endpoints to the nearest training point (d = \(dimension), n = \(pointCount))",
            xLabel: "L (noise levels)", yLabel: "distance to nearest training point", xScale: .log, yScale: .log,
            series: [
                .init(label: "median at τ_end", x: ls, y: finiteMedian.map { max($0, floor) }, style: .linePoints),
                .init(label: "max at τ_end", x: ls, y: finiteMax.map { max($0, floor) }, style: .linePoints),
                .init(label: "median at 50 τ_end", x: ls, y: infiniteMedian.map { max($0, floor) }, style: .linePoints),
                .init(label: "max at 50 τ_end", x: ls, y: infiniteMax.map { max($0, floor) }, style: .linePoints),
            ],
            markers: [.init(axis: .y, value: 1e-3, label: "1e-3"), .init(axis: .y, value: 1e-6, label: "1e-6")])
        let finiteText = zip(levelCounts, finiteMedian).map { "L = \($0): \(ExactMath.format($1))" }.joined(separator: ", ")
        let reading = "At the finite horizon τ_end the median distance to the nearest training point is \(finiteText); after 50 τ_end the worst endpoint over all L is \(ExactMath.format(infiniteMax.max() ?? .nan)) from a training point. \(infiniteOK ? "The long-time flow always ends at training points" : "Not every long-time endpoint reached a training point"), \(finiteOK ? "while the finite horizon lands on the data only with many levels: with few levels the posterior over σ lags the nominal σ and the flow has not arrived when τ_end runs out" : "and the finite-horizon distance goes from \(ExactMath.format(finiteMedian.first ?? .nan)) (fewest levels) to \(ExactMath.format(finiteMedian.last ?? .nan)) (most levels) without the most levels reaching 1e-3 of the data at τ_end: more levels help, but at this scale the flow has not arrived when τ_end runs out")."
        return result(verdict: verdict, numbers: numbers, keyNumber: "worst_infinite_horizon_distance", reading: reading,
                      figures: [.plot(figure)],
                      config: ["dimension": "\(dimension)", "training_points": "\(pointCount)", "samples": "\(samples)",
                               "levels": levelCounts.map(String.init).joined(separator: ","), "sigma": "10 → \(sigmaMin) geometric",
                               "integrator": "RK4 in τ, dτ = \(sigmaMin)", "seed": "\(context.seed)"])
    }
}
