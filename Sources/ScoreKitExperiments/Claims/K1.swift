import Foundation
import ScoreKitIO

/// K1 (papers.md §1.5, Kim — reconstruction [I, N]): the exact optimal multiplicative field f* of
/// a delta-mixture training set (§1.2) has one exponentially stable equilibrium next to every
/// training point, with linearisation ≈ −I/σ_min (§1.4), and its long-time flow ends there.
/// Equilibria come from damped Newton (`EquilibriumSearch`) started at every training point and, in
/// 2-D, on a grid; endpoints from RK4 on dx/dτ = f*(x) (`BasinSizes`) started at σ_1 z.
public struct K1ExactFieldEquilibria: Experiment {
    public let id = "K1"
    public let paper = Paper.kim
    public let claim = "The optimal multiplicative field f* has a stable equilibrium at (or next to) every training point with Jacobian ≈ −I/σ_min, and its long-time flow from noise ends at stable equilibria."
    public let criterion = "Geometric levels σ_1 = 10 → σ_L = 0.01. For every configuration: (i) every training point has a stable equilibrium within 1e-3 (d < 16) or 1e-8 (d ≥ 16); (ii) at those equilibria the largest Jacobian eigenvalue λ_max satisfies |λ_max σ_min + 1| ≤ 0.2; (iii) 100 % of the flow's endpoints from σ_1 z after τ = 50 τ_end (RK4, dτ = σ_min) lie within 1e-6 of a stable equilibrium. Holds if (i)–(iii) pass in every configuration, partly holds if each passes in some configuration, otherwise does not hold."

    /// One data set and level count.
    struct Configuration {
        enum Data { case randomPoints(count: Int, dimension: Int), ring8(count: Int) }
        let data: Data
        let levelCount: Int

        var label: String {
            switch data {
            case .randomPoints(let n, let d): return "\(n) random points, d = \(d), L = \(levelCount)"
            case .ring8(let n): return "ring8 (\(n) points), L = \(levelCount)"
            }
        }
    }

    let configurations: [Configuration]?
    let gridSide: Int?
    let sampleCount: Int?

    public init() { self.init(configurations: nil, gridSide: nil, sampleCount: nil) }

    /// Other sweeps and sizes (tests); nil = the plan's for `context.quick`.
    init(configurations: [Configuration]?, gridSide: Int?, sampleCount: Int?) {
        self.configurations = configurations
        self.gridSide = gridSide
        self.sampleCount = sampleCount
    }

    static let sigmaMax = 10.0
    static let sigmaMin = 0.01

    static func plan(quick: Bool) -> [Configuration] {
        if quick {
            return [.init(data: .randomPoints(count: 8, dimension: 2), levelCount: 10),
                    .init(data: .randomPoints(count: 8, dimension: 16), levelCount: 10)]
        }
        return [10, 30, 100].map { Configuration(data: .randomPoints(count: 8, dimension: 2), levelCount: $0) }
            + [8, 16, 32, 64].map { Configuration(data: .randomPoints(count: 16, dimension: $0), levelCount: 30) }
            + [Configuration(data: .ring8(count: 32), levelCount: 30)]
    }

    /// What one configuration measured.
    struct Outcome {
        let label: String
        let dimension: Int
        let equilibria: [Equilibrium]
        /// Training points with no stable equilibrium at all.
        let unmatched: Int
        /// Over the matched training points (0 when none matched).
        let worstOffset: Double
        let worstRateError: Double
        let largestEigenvalue: Double
        let endpointsAtStable: Double
        let gridAtStable: Double?
        var passes: [Bool] {
            [unmatched == 0 && worstOffset <= (dimension >= 16 ? 1e-8 : 1e-3), unmatched == 0 && worstRateError <= 0.2,
             endpointsAtStable == 1]
        }
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let configs = configurations ?? Self.plan(quick: context.quick)
        let side = gridSide ?? (context.quick ? 20 : 50)
        let samples = sampleCount ?? (context.quick ? 16 : 64)
        var outcomes = [Outcome]()
        var figures = [Figure]()
        for (k, config) in configs.enumerated() {
            context.progress(k, configs.count)
            let data = Self.data(config.data, seed: context.seed &+ UInt64(k))
            let levels = try ExactMath.geometricLevels(count: config.levelCount, sigmaMax: Self.sigmaMax, sigmaMin: Self.sigmaMin)
            let field = VectorField(try MultiplicativeOptimalField(base: try EmpiricalDenoiser(data: data), levels: levels))
            let grid = data.columns == 2 ? Matrix.grid(around: data, side: side) : nil
            let starts = grid.map { Matrix.vstack([data, $0]) } ?? data
            let equilibria = try EquilibriumSearch.run(field, starts: starts, trainingData: data)
            let outcome = try measure(config, data: data, field: field, equilibria: equilibria, grid: grid,
                                      samples: samples, seed: context.seed &+ UInt64(k))
            outcomes.append(outcome.outcome)
            if figures.isEmpty, let grid, let assignment = outcome.gridAssignment {
                figures = try Self.portrait(field, data: data, equilibria: equilibria, grid: grid, side: side,
                                            assignment: assignment, label: config.label)
            }
        }
        context.progress(configs.count, configs.count)

        let allPass = outcomes.allSatisfy { $0.passes.allSatisfy { $0 } }
        let eachSomewhere = (0..<3).allSatisfy { c in outcomes.contains { $0.passes[c] } }
        let verdict: Verdict = allPass ? .holds : (eachSomewhere ? .partlyHolds : .doesNotHold)
        var numbers = [String: Double]()
        for (k, o) in outcomes.enumerated() {
            numbers["config\(k)_training_points_without_stable_equilibrium"] = Double(o.unmatched)
            numbers["config\(k)_worst_equilibrium_offset"] = o.worstOffset
            numbers["config\(k)_largest_eigenvalue"] = o.largestEigenvalue
            numbers["config\(k)_endpoints_at_stable_fraction"] = o.endpointsAtStable
            numbers["config\(k)_equilibria"] = Double(o.equilibria.count)
            numbers["config\(k)_stable_equilibria"] = Double(o.equilibria.filter { $0.stability == .stable }.count)
            numbers["config\(k)_saddles"] = Double(o.equilibria.filter { $0.stability == .saddle }.count)
            if let g = o.gridAtStable { numbers["config\(k)_grid_starts_at_stable_fraction"] = g }
        }
        numbers["worst_rate_error"] = outcomes.map(\.worstRateError).max() ?? .nan
        numbers["worst_endpoint_fraction"] = outcomes.map(\.endpointsAtStable).min() ?? .nan
        let lines = outcomes.enumerated().map { k, o in
            "[\(k)] \(o.label): \(o.equilibria.filter { $0.stability == .stable }.count) stable / \(o.equilibria.count) equilibria, \(o.unmatched) training points without one, worst offset \(ExactMath.format(o.worstOffset)), λ_max \(ExactMath.format(o.largestEigenvalue)), endpoints at stable \(ExactMath.format(100 * o.endpointsAtStable)) %"
        }
        let reading = "Every configuration: " + lines.joined(separator: "; ") + ". "
            + (allPass ? "Each training point carries a stable equilibrium with rate ≈ 1/σ_min = 100 and the long-time flow ends at one, as §1.4 reconstructs; the other equilibria are saddles between data points."
                : "Not every configuration meets all three checks; see the per-configuration numbers.")
        return result(verdict: verdict, numbers: numbers, keyNumber: "worst_rate_error", reading: reading, figures: figures,
                      config: ["configurations": configs.map(\.label).joined(separator: " | "), "grid": "\(side)×\(side)",
                               "samples": "\(samples)", "levels": "geometric 10 → 0.01", "seed": "\(context.seed)"])
    }

    static func data(_ kind: Configuration.Data, seed: UInt64) -> Matrix<Double> {
        switch kind {
        case .randomPoints(let n, let d): return CounterNormalRNG(seed: seed).normals(rows: n, columns: d, draw: 0, as: Double.self)
        case .ring8(let n): return ToyDataset.ring8.sample(count: n, seed: seed, as: Double.self)
        }
    }

    private func measure(_ config: Configuration, data: Matrix<Double>, field: VectorField<Double>, equilibria: [Equilibrium],
                         grid: Matrix<Double>?, samples: Int, seed: UInt64) throws -> (outcome: Outcome, gridAssignment: [Int]?) {
        let stable = equilibria.filter { $0.stability == .stable }
        var worstOffset = 0.0, worstRate = 0.0, unmatched = 0
        var largest: Double?
        for j in 0..<data.rows {
            let row = Array(data.row(j))
            let nearest = stable.map { e in (e, zip(e.point, row).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()) }
                .min { $0.1 < $1.1 }
            guard let (e, offset) = nearest, let top = e.eigenvalues.last else { unmatched += 1; continue }
            worstOffset = max(worstOffset, offset)
            worstRate = max(worstRate, abs(top * Self.sigmaMin + 1))
            largest = max(largest ?? top, top)
        }
        let tauEnd = Self.sigmaMax - Self.sigmaMin
        let maxSteps = Int((50 * tauEnd / Self.sigmaMin).rounded(.up))
        let starts = CounterNormalRNG(seed: seed).normals(rows: samples, columns: data.columns, draw: 1, as: Double.self) * Self.sigmaMax
        func fractionAtStable(_ basins: BasinSizes) -> Double {
            Double(basins.assignment.filter { $0 >= 0 && equilibria[$0].stability == .stable }.count) / Double(basins.assignment.count)
        }
        let endpoints = try BasinSizes(field, equilibria: equilibria, starts: starts, step: Self.sigmaMin, maxSteps: maxSteps,
                                       captureRadius: 1e-6)
        var gridBasins: BasinSizes?
        if let grid {
            gridBasins = try BasinSizes(field, equilibria: equilibria, starts: grid, step: Self.sigmaMin, maxSteps: maxSteps,
                                        captureRadius: 1e-6)
        }
        let outcome = Outcome(label: config.label, dimension: data.columns, equilibria: equilibria, unmatched: unmatched,
                              worstOffset: worstOffset, worstRateError: worstRate, largestEigenvalue: largest ?? 0, endpointsAtStable: fractionAtStable(endpoints),
                              gridAtStable: gridBasins.map(fractionAtStable))
        return (outcome, gridBasins?.assignment)
    }

    /// The 2-D phase portrait (trajectories over τ = 2 from a grid of at most 10 × 10, equilibria, training points) and the
    /// basins of the grid starts.
    static func portrait(_ field: VectorField<Double>, data: Matrix<Double>, equilibria: [Equilibrium], grid: Matrix<Double>,
                         side: Int, assignment: [Int], label: String) throws -> [Figure] {
        let coarse = Matrix.grid(around: data, side: min(10, side))
        let flow = ExactFlowIntegrator(field: field, maxStep: sigmaMin)
        let path = try flow.run(coarse, horizon: 2, recordEvery: 10).path
        var series = (0..<coarse.rows).map { r in
            PlotSpec.Series(label: "trajectory", x: path.map { $0[r, 0] }, y: path.map { $0[r, 1] }, style: .line)
        }
        func points(_ label: String, _ list: [[Double]]) -> PlotSpec.Series {
            .init(label: label, x: list.map { $0[0] }, y: list.map { $0[1] }, style: .points)
        }
        series.append(points("training points", (0..<data.rows).map { Array(data.row($0)) }))
        for kind in [Stability.stable, .saddle, .unstable, .nonHyperbolic] {
            let list = equilibria.filter { $0.stability == kind }.map(\.point)
            if !list.isEmpty { series.append(points("\(kind.rawValue) equilibria", list)) }
        }
        let phase = PlotSpec(title: "Phase portrait of dx/dτ = f*(x): \(label)", xLabel: "x₁", yLabel: "x₂",
                             series: series, equalAspect: true)
        var basins = equilibria.indices.compactMap { k -> PlotSpec.Series? in
            let members = assignment.indices.filter { assignment[$0] == k }
            guard !members.isEmpty else { return nil }
            return points("basin of equilibrium \(k) (\(equilibria[k].stability.rawValue))", members.map { Array(grid.row($0)) })
        }
        let lost = assignment.indices.filter { assignment[$0] < 0 }
        if !lost.isEmpty { basins.append(points("not converged", lost.map { Array(grid.row($0)) })) }
        basins.append(points("training points", (0..<data.rows).map { Array(data.row($0)) }))
        let basinPlot = PlotSpec(title: "Basins of attraction (grid starts, long-time flow): \(label)", xLabel: "x₁", yLabel: "x₂",
                                 series: basins, equalAspect: true)
        return [.plot(phase), .plot(basinPlot)]
    }
}
