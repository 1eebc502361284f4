import Foundation

/// K4 (papers.md §1.5, Kim — reconstruction [I]): a *trained* multiplicative network s = f(x)/σ
/// (no noise input, NCSNv2's technique 3) samples the 2-D 8-Gaussian ring as well as the same MLP
/// with a noise input, because its sampling dynamics are those of the autonomous field f (§1.3),
/// whose stable equilibria sit at the mixture modes.
///
/// Both networks are trained with the NCSNv2 loss (σ uniform over L = 20 geometric levels 10 → 0.01,
/// flat in ε units) and the same parameterization D = x + σ F (multiplicative: F = f(x); baseline:
/// F = F(x, σ), EDM's VE scalings), then sampled with annealed Langevin dynamics on the training
/// levels and with the PF-ODE (Heun, 50 geometric steps 10 → 0.01, then D at 0.01).
public struct K4TrainedMultiplicative: Experiment {
    public let id = "K4"
    public let paper = Paper.kim
    public let claim = "A trained multiplicative network f(x)/σ samples as well as the noise-conditional network; its learned f has stable equilibria at the mixture modes, and its samples lie in their basins."
    public let criterion = "2-D 8-Gaussian ring (radius 2, std 0.1), 1000 training points, EMA weights. (i) Quality: for ALD and for the PF-ODE, the multiplicative model's energy distance to fresh data is ≤ 2 × max(the conditional model's, the floor of two fresh data sets of the same size); (ii) every mixture mean has a stable equilibrium of the learned f (damped Newton from the means and a grid, symmetrised finite-difference Jacobian) within 0.3 (3 component std); (iii) ≥ 90 % of the multiplicative model's ALD and PF-ODE samples (the first 200), continued by the flow dx/dτ = f(x) for τ = 10 (RK4, dτ = min(0.05, 2/fastest rate), at most 4000 steps), end within 1e-4 of such a mode equilibrium. Holds if (i)–(iii) pass, partly holds if one or two pass, does not hold if none."

    let trainingSteps: Int?
    let sampleCount: Int?
    let width: Int?
    let gridSide: Int?
    /// The most RK4 steps of the flow that continues the samples.
    let maxFlowSteps: Int

    public init() { self.init(trainingSteps: nil, sampleCount: nil, width: nil, gridSide: nil, maxFlowSteps: 4000) }

    /// Other sizes (tests); nil = the plan's for `context.quick`.
    init(trainingSteps: Int?, sampleCount: Int?, width: Int?, gridSide: Int?, maxFlowSteps: Int) {
        self.trainingSteps = trainingSteps
        self.sampleCount = sampleCount
        self.width = width
        self.gridSide = gridSide
        self.maxFlowSteps = maxFlowSteps
    }

    static let sigmaMax = 10.0
    static let sigmaMin = 0.01
    static let levelCount = 20
    static let trainingCount = 1000
    /// The distance within which an equilibrium counts as "at" a mode (3 component standard deviations).
    static let modeRadius = 0.3
    /// The τ of the "long-time" flow that continues the samples (≈ τ_end = σ_1 − σ_L; at most 4000 RK4 steps).
    static let flowHorizon = 10.0

    /// One trained model and what it produced.
    struct ModelRun {
        let label: String
        let ald: Matrix<Double>
        let ode: Matrix<Double>
        let aldEnergy: Double
        let odeEnergy: Double
        let aldMMD: Double
        let odeMMD: Double
        let memorization: Double
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let steps = trainingSteps ?? WangHeTaoToy.steps(quick: context.quick)
        let width = self.width ?? WangHeTaoToy.width(quick: context.quick)
        let batch = WangHeTaoToy.batchSize
        let n = sampleCount ?? (context.quick ? 1000 : 2000)
        let aldStepsPerLevel = context.quick ? 5 : 20
        let data = ToyDataset.ring8.sample(count: Self.trainingCount, seed: context.seed, as: Float.self)
        let ring = try IsotropicMixture<Double>.ring()
        let means = ring.means
        let reference = ring.sample(count: n, seed: context.seed &+ 1).points
        let floor = try Metrics.energyDistance(ring.sample(count: n, seed: context.seed &+ 2).points, reference)

        let noise = NoiseDistribution.geometricLevels(minimum: Self.sigmaMin, maximum: Self.sigmaMax, count: Self.levelCount)
        func model(multiplicative: Bool) throws -> NetworkDenoiser<Double> {
            let config = try ToyTrainedModel.configuration(
                network: ToyTrainedModel.network(dimension: 2, width: width, multiplicative: multiplicative),
                parameterization: multiplicative ? .multiplicative : .preconditioned(.ve), noise: noise,
                weighting: .inverseVariance, steps: steps, batchSize: batch, seed: context.seed)
            let run = ToyTrainedModel(configuration: config, data: data, cacheFolder: context.cacheFolder)
            guard let denoiser = try run.denoisers(at: [steps], weights: .ema)[steps] else {
                throw ExperimentError.failed(id: id, reason: "no model at step \(steps)")
            }
            return denoiser
        }
        context.progress(0, 4)
        let multiplicative = try model(multiplicative: true)
        context.progress(1, 4)
        let conditional = try model(multiplicative: false)
        context.progress(2, 4)

        let levels = try ExactMath.geometricLevels(count: Self.levelCount, sigmaMax: Self.sigmaMax, sigmaMin: Self.sigmaMin)
        let odeSigmas = try Schedule<Double>.exponential(steps: 50, sigmaMin: Self.sigmaMin, sigmaMax: Self.sigmaMax).sigmas
        let start = CounterNormalRNG(seed: context.seed).normals(rows: n, columns: 2, draw: 5, as: Double.self) * Self.sigmaMax
        let training = data.converted(to: Double.self)
        func sample(_ denoiser: NetworkDenoiser<Double>, label: String) throws -> ModelRun {
            var options = SamplerOptions<Double>()
            options.reference.ald = AnnealedLangevinOptions(stepSize: 2e-5, stepsPerLevel: aldStepsPerLevel, finalDenoise: true)
            var noise = try PerSampleNoiseSource<Double>(seed: context.seed, firstDraw: 6)
            let ald = try SamplerName.reference(.ald).sample(SamplingModel(denoiser), from: start, sigmas: levels, options: options,
                                                             noise: &noise)
            var none = NoNoise<Double>()
            let ode = try SamplerName.kdiffusion(.heun).sample(SamplingModel(denoiser), from: start, sigmas: odeSigmas, noise: &none)
            return ModelRun(label: label, ald: ald, ode: ode,
                            aldEnergy: try Metrics.energyDistance(ald, reference), odeEnergy: try Metrics.energyDistance(ode, reference),
                            aldMMD: try Metrics.maximumMeanDiscrepancy(ald, reference).value,
                            odeMMD: try Metrics.maximumMeanDiscrepancy(ode, reference).value,
                            memorization: try Metrics.trainingSetProximity(ode, train: training).memorization)
        }
        let mult = try sample(multiplicative, label: "multiplicative f(x)/σ")
        let cond = try sample(conditional, label: "conditional s(x, σ)")

        // The learned autonomous field f(x) = D(x; 1) − x and its equilibria.
        let field = VectorField<Double>(dimension: 2) { x in try multiplicative.denoise(x, sigma: 1) - x }
        let side = gridSide ?? (context.quick ? 15 : 30)
        let grid = Matrix.grid(around: means, side: side)
        let equilibria = try EquilibriumSearch.run(field, starts: Matrix.vstack([means, grid]), trainingData: means,
                                                   options: EquilibriumSearchOptions(maxIterations: 50, tolerance: 1e-8, mergeDistance: 1e-4, jacobianStep: 1e-5))
        let modeEquilibria = Self.modeEquilibria(equilibria, radius: Self.modeRadius)
        let modesCovered = Set(modeEquilibria.compactMap { equilibria[$0].nearestTrainingIndex }).count
        // RK4 stays stable for dτ·|λ| ≲ 2.7: step by the stiffest stable equilibrium found.
        let stiffest = equilibria.filter { $0.stability == .stable }.compactMap { $0.eigenvalues.first }.map { -$0 }.max() ?? 1
        let dTau = min(0.05, 2 / stiffest)
        let flowed = min(n, 200)
        func captured(_ starts: Matrix<Double>) throws -> (fraction: Double, basins: BasinSizes) {
            let basins = try BasinSizes(field, equilibria: equilibria, starts: starts, step: dTau,
                                        maxSteps: min(maxFlowSteps, Int((Self.flowHorizon / dTau).rounded(.up))), captureRadius: 1e-4)
            return (Double(basins.assignment.filter { modeEquilibria.contains($0) }.count) / Double(starts.rows), basins)
        }
        let aldCaptured = try captured(mult.ald.rows(0..<flowed)).fraction
        let odeCaptured = try captured(mult.ode.rows(0..<flowed)).fraction
        let noiseCaptured = try captured(start.rows(0..<flowed)).fraction
        let gridBasins = try captured(grid).basins
        context.progress(3, 4)

        let quality = [mult.aldEnergy <= 2 * max(cond.aldEnergy, floor), mult.odeEnergy <= 2 * max(cond.odeEnergy, floor)]
        let passes = [quality.allSatisfy { $0 }, modesCovered == means.rows, min(aldCaptured, odeCaptured) >= 0.9]
        let passed = passes.filter { $0 }.count
        let verdict: Verdict = passed == passes.count ? .holds : (passed > 0 ? .partlyHolds : .doesNotHold)
        let ratio = max(mult.aldEnergy / max(cond.aldEnergy, floor), mult.odeEnergy / max(cond.odeEnergy, floor))
        let stableCount = equilibria.filter { $0.stability == .stable }.count
        let modeRates = modeEquilibria.compactMap { equilibria[$0].eigenvalues.last }
        var numbers: [String: Double] = [
            "energy_ratio_multiplicative_to_conditional": ratio, "energy_floor": floor,
            "modes_with_stable_equilibrium": Double(modesCovered), "equilibria": Double(equilibria.count),
            "stable_equilibria": Double(stableCount), "saddles": Double(equilibria.filter { $0.stability == .saddle }.count),
            "ald_captured_by_mode_equilibria": aldCaptured, "ode_captured_by_mode_equilibria": odeCaptured,
            "noise_captured_by_mode_equilibria": noiseCaptured,
            "largest_eigenvalue_at_modes": modeRates.max() ?? .nan, "smallest_rate_at_modes": modeRates.map { -$0 }.min() ?? .nan,
        ]
        for run in [mult, cond] {
            let key = run.label.hasPrefix("multi") ? "multiplicative" : "conditional"
            numbers["\(key)_ald_energy"] = run.aldEnergy
            numbers["\(key)_ode_energy"] = run.odeEnergy
            numbers["\(key)_ald_mmd"] = run.aldMMD
            numbers["\(key)_ode_mmd"] = run.odeMMD
            numbers["\(key)_ode_memorization"] = run.memorization
        }
        context.progress(4, 4)

        var figures = try K1ExactFieldEquilibria.portrait(field, data: means, equilibria: equilibria, grid: grid, side: side,
                                                          assignment: gridBasins.assignment, label: "learned f, \(steps) steps")
        figures = [Self.relabel(figures[0], data: training, means: means)] + figures.dropFirst()
        let shown = min(n, 500)
        for run in [mult, cond] {
            let series: [PlotSpec.Series] = [
                Self.points("fresh data", reference.rows(0..<shown)), Self.points("ALD samples", run.ald.rows(0..<shown)),
                Self.points("PF-ODE samples (Heun 50)", run.ode.rows(0..<shown)),
            ]
            figures.append(.plot(PlotSpec(title: "Samples of the \(run.label) model (ED ALD \(ExactMath.format(run.aldEnergy)), ODE \(ExactMath.format(run.odeEnergy)))",
                                          xLabel: "x₁", yLabel: "x₂", series: series, equalAspect: true)))
        }
        let reading = "After \(steps) Adam steps, the multiplicative model reaches energy distance \(ExactMath.format(mult.aldEnergy)) (ALD) / \(ExactMath.format(mult.odeEnergy)) (PF-ODE) against \(ExactMath.format(cond.aldEnergy)) / \(ExactMath.format(cond.odeEnergy)) for the noise-conditional one (floor of two data sets \(ExactMath.format(floor))): ratio \(ExactMath.format(ratio)). Its learned field f has \(equilibria.count) equilibria (\(stableCount) stable); \(modesCovered) of 8 modes carry a stable one within \(Self.modeRadius) (rates \(modeRates.map { ExactMath.format(-$0) }.joined(separator: ", "))). Continued by the long-time flow, \(ExactMath.format(100 * aldCaptured)) % of the ALD and \(ExactMath.format(100 * odeCaptured)) % of the PF-ODE samples (and \(ExactMath.format(100 * noiseCaptured)) % of the noise starts) end at a mode equilibrium. The trained f is smooth: it does not reproduce f*'s equilibria at the 1000 training points (memorisation \(ExactMath.format(mult.memorization)))."
        return result(verdict: verdict, numbers: numbers, keyNumber: "energy_ratio_multiplicative_to_conditional", reading: reading,
                      figures: figures,
                      config: ["data": "ring8, \(Self.trainingCount) training points", "levels": "\(Self.levelCount) geometric 10 → 0.01",
                               "network": "residual MLP width \(width), depth 2, SiLU", "training": "Adam 1e-3, batch \(batch), \(steps) steps, EMA 0.995",
                               "ald": "ε = 2e-5, T = \(aldStepsPerLevel)", "ode": "heun, 50 geometric steps", "samples": "\(n)",
                               "seed": "\(context.seed)"])
    }

    /// The stable equilibria within `radius` of a mode (the search's `trainingData` are the modes).
    static func modeEquilibria(_ equilibria: [Equilibrium], radius: Double) -> Set<Int> {
        Set(equilibria.indices.filter {
            equilibria[$0].stability == .stable && (equilibria[$0].nearestTrainingDistance ?? .infinity) <= radius
        })
    }

    static func points(_ label: String, _ x: Matrix<Double>) -> PlotSpec.Series {
        .init(label: label, x: (0..<x.rows).map { x[$0, 0] }, y: (0..<x.rows).map { x[$0, 1] }, style: .points)
    }

    /// The phase portrait with the training points instead of the 8 means K1 draws as "training points".
    static func relabel(_ figure: Figure, data: Matrix<Double>, means: Matrix<Double>) -> Figure {
        guard case .plot(var plot) = figure else { return figure }
        plot.title = plot.title.replacingOccurrences(of: "f*(x)", with: "f(x) (learned)")
        plot.series = plot.series.map { $0.label == "training points" ? points("training data", data) : $0 }
        plot.series.append(points("mixture means", means))
        return .plot(plot)
    }
}
