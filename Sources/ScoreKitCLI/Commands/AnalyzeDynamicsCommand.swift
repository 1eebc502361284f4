import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit analyze dynamics --data X`: Kim's autonomous sampling ODE dx/dτ = f(x) (papers.md
/// §1.3–1.4, a reconstruction [I, N]) for the exact optimal multiplicative field f* of the data
/// (geometric levels σ_max → σ_min) or, with `--checkpoint`, for a trained multiplicative model,
/// whose field is f(x) = (D(x; σ) − x)/σ at any σ (the same for all σ by construction).
///
/// Equilibria come from damped Newton (`EquilibriumSearch`) started at every training point and,
/// in 2-D, on a `--grid`² grid over the data's box widened by 1; each is linearised (Jacobian
/// eigenvalues, stability) and measured against the nearest training point. Basin sizes come from
/// RK4 on the flow (`BasinSizes`) from `--starts` random points σ_max z. For f* near a training
/// point the Jacobian is ≈ −I/σ_min, so the table shows λ·σ_min ≈ −1 there.
struct AnalyzeDynamicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dynamics",
        abstract: "Equilibria of Kim's multiplicative field f* (or a trained multiplicative model), their Jacobian eigenvalues and basin sizes.")

    @OptionGroup var training: DataOptions

    @Option(help: "A trained model with multiplicative (NCSN) conditioning; default: the exact f* of --data.")
    var checkpoint: String?

    @Option(help: "Number of geometric noise levels of f*.")
    var levels: Int = 30

    @Option(name: .customLong("sigma-min"), help: "Smallest level σ_L of f*.")
    var sigmaMin: Double = 0.01

    @Option(name: .customLong("sigma-max"), help: "Largest level σ_1 of f* (the basin starts are σ_max z).")
    var sigmaMax: Double = 10

    @Option(help: "In 2-D, extra Newton starts on a grid × grid over the data (0: none).")
    var grid: Int = 20

    @Option(help: "Random starts σ_max z whose flow endpoints give the basin sizes.")
    var starts: Int = 64

    @Option(help: "RK4 step dτ of the flow (default σ_min).")
    var step: Double?

    @Option(name: .customLong("max-steps"), help: "Most RK4 steps per basin integration.")
    var maxSteps: Int = 20_000

    @Option(name: .customLong("capture-radius"), help: "An endpoint this close to an equilibrium belongs to its basin.")
    var captureRadius: Double = 1e-5

    @Option(help: "Seed of the random starts.")
    var seed: UInt64 = 0

    @Option(help: "Write the equilibria and basins as JSON here.")
    var json: String?

    @Option(help: "In 2-D, write the phase portrait (field directions, training points, equilibria) as SVG here.")
    var svg: String?

    struct Output: Encodable {
        let field: String
        let levels: [Double]?
        let equilibria: [Equilibrium]
        let basins: BasinSizes
    }

    func validate() throws {
        guard training.data != nil else { throw ValidationError("--data is required (training points and Newton starts)") }
        guard levels >= 1 else { throw ValidationError("--levels must be at least 1") }
        guard sigmaMin > 0 && sigmaMin < sigmaMax && sigmaMax.isFinite else {
            throw ValidationError("need 0 < --sigma-min < --sigma-max (got \(sigmaMin), \(sigmaMax))")
        }
        guard grid >= 0, starts >= 1, maxSteps >= 1, captureRadius > 0 else {
            throw ValidationError("--grid ≥ 0, --starts ≥ 1, --max-steps ≥ 1 and --capture-radius > 0 are required")
        }
        if let step, !(step > 0 && step.isFinite) { throw ValidationError("--step must be positive") }
    }

    func run() throws {
        let data = try training.load(as: Double.self)
        let (field, levelList) = try makeField(data)
        let gridStarts = data.columns == 2 && grid >= 2 ? Matrix.grid(around: data, side: grid) : nil
        let newtonStarts = gridStarts.map { Matrix.vstack([data, $0]) } ?? data
        let equilibria = try EquilibriumSearch.run(field, starts: newtonStarts, trainingData: data)
        let flowStarts = CounterNormalRNG(seed: seed).normals(rows: starts, columns: data.columns, draw: 0, as: Double.self) * sigmaMax
        let basins = try BasinSizes(field, equilibria: equilibria, starts: flowStarts, step: step ?? sigmaMin,
                                    maxSteps: maxSteps, captureRadius: captureRadius)
        if data.columns == 2 {
            try writeSVG(try portrait(field, data: data, equilibria: equilibria), to: svg)
        } else if svg != nil {
            print("note: --svg draws a phase portrait only for 2-D data (d = \(data.columns)); no SVG written")
        }
        try writeJSON(Output(field: checkpoint == nil ? "f*" : "checkpoint", levels: levelList, equilibria: equilibria,
                             basins: basins), to: json)
        print("\(checkpoint == nil ? "exact f*" : "trained f") of \(data.rows) points in d = \(data.columns): "
            + "\(equilibria.count) equilibria from \(newtonStarts.rows) Newton starts; basins over τ = \(format(basins.horizon))")
        // λ·σ_min ≈ −1 is f*'s signature at the data (§1.4); a trained f has no σ_min of its own.
        printTable(header: ["#", "stability", "hits", "|f|", "λ_max", "λ_min", "λ_max·σ_min", "nearest data", "basin"],
                   rows: equilibria.enumerated().map { k, e in
            [String(k), e.stability.rawValue, String(e.hits), format(e.residual), format(e.eigenvalues.last ?? .nan),
             format(e.eigenvalues.first ?? .nan), checkpoint == nil ? format((e.eigenvalues.last ?? .nan) * sigmaMin) : "",
             e.nearestTrainingDistance.map(format) ?? "", format(basins.fractions[k])]
        })
        if basins.unassigned > 0 { print("\(basins.unassigned) of \(starts) flow endpoints are near no equilibrium") }
    }

    /// f* of the data on geometric levels, or the field of the multiplicative checkpoint.
    private func makeField(_ data: Matrix<Double>) throws -> (VectorField<Double>, [Double]?) {
        guard let checkpoint else {
            let sigmas = try Schedule<Double>.ncsnLevels(count: levels, sigmaBegin: sigmaMax, sigmaEnd: sigmaMin).sigmas
            return (VectorField(try MultiplicativeOptimalField(base: try EmpiricalDenoiser(data: data), levels: sigmas)), sigmas)
        }
        let model = try NetworkDenoiser<Double>.load(checkpoint: URL(fileURLWithPath: checkpoint))
        guard model.parameterization == .multiplicative else {
            throw CLIError("\(checkpoint): the model is not multiplicatively conditioned (train with multiplicative/NCSN parameterization)")
        }
        guard model.dimension == data.columns else {
            throw CLIError("\(checkpoint): the model has dimension \(model.dimension), the data \(data.columns)")
        }
        // D(x; σ) = x + σ f(x) (NCSN's s = f/σ), so f(x) = D(x; 1) − x.
        return (VectorField(dimension: model.dimension) { x in try model.denoise(x, sigma: 1) - x }, nil)
    }

    /// Field directions on a 15 × 15 grid (segments from each grid point along f, of fixed length),
    /// the training points and the equilibria by stability, in equal units.
    private func portrait(_ field: VectorField<Double>, data: Matrix<Double>, equilibria: [Equilibrium]) throws -> PlotSpec {
        let side = 15
        let points = Matrix.grid(around: data, side: side)
        let f = try field(points)
        let spacing = Swift.min(points[1, 0] - points[0, 0], points[side, 1] - points[0, 1])
        var series = [PlotSpec.Series]()
        for r in 0..<points.rows {
            let length = (f[r, 0] * f[r, 0] + f[r, 1] * f[r, 1]).squareRoot()
            guard length > 0 else { continue }
            let scale = 0.7 * spacing / length
            series.append(.init(label: "f direction (from dot)", x: [points[r, 0], points[r, 0] + scale * f[r, 0]],
                                y: [points[r, 1], points[r, 1] + scale * f[r, 1]], style: .line))
        }
        series.append(.init(label: "grid points", x: (0..<points.rows).map { points[$0, 0] },
                            y: (0..<points.rows).map { points[$0, 1] }, style: .points))
        series.append(.init(label: "training points", x: (0..<data.rows).map { data[$0, 0] },
                            y: (0..<data.rows).map { data[$0, 1] }, style: .points))
        for kind in [Stability.stable, .saddle, .unstable, .nonHyperbolic] {
            let list = equilibria.filter { $0.stability == kind }.map(\.point)
            if !list.isEmpty {
                series.append(.init(label: "\(kind.rawValue) equilibria", x: list.map { $0[0] }, y: list.map { $0[1] }, style: .points))
            }
        }
        return PlotSpec(title: "Phase portrait of dx/dτ = f(x) (\(checkpoint == nil ? "exact f*" : "trained f"))",
                        xLabel: "x₁", yLabel: "x₂", series: series, equalAspect: true)
    }
}
