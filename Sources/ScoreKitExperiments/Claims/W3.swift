import Foundation

/// W3 (papers.md §4.4): networks learn the Gaussian (linear) structure first; later in training
/// their small-σ behaviour moves from Gaussian-like to GMM-like. The explained variance of W2 is
/// measured against the network at every checkpoint of the shared digits run, with the raw
/// (not averaged) weights, so that each checkpoint is the network at that moment of training.
public struct W3LearningDynamics: Experiment {
    public let id = "W3"
    public let paper = Paper.wangVastola
    public let claim = "The Gaussian structure is learned early in training; later the small-σ behaviour shifts from Gaussian-like to GMM-like."
    public let criterion = """
    Digits MLP (EDM) at each checkpoint, raw weights; pooled denoiser-space EV (as W2) of the Gaussian (E_G) and of \
    GMM-10 (E_M), averaged over σ ∈ {0.2, 0.5, 0.75, 1}. (a) E_G peaks at a checkpoint before the last and the last is \
    lower than that peak by > 0.01; (b) the GMM's advantage E_M − E_G at the last checkpoint exceeds its value at the \
    Gaussian's peak by > 0.01. Holds if (a) and (b); partly holds if one; otherwise does not hold.
    """

    let model: TrainedDigitsModel.Configuration?
    let mixtureComponents: Int
    let pointCount: Int?

    public init() { self.init(model: nil, mixtureComponents: 10, pointCount: nil) }

    /// Smaller runs for tests.
    init(model: TrainedDigitsModel.Configuration?, mixtureComponents: Int, pointCount: Int?) {
        self.model = model
        self.mixtureComponents = mixtureComponents
        self.pointCount = pointCount
    }

    static let smallSigmas: [Double] = [0.2, 0.5, 0.75, 1]

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let trained = try TrainedDigitsModel.load(model ?? .standard(quick: context.quick, seed: context.seed),
                                                  cacheFolder: context.cacheFolder, progress: context.progress)
        let all = try DigitsExplainedVariance.candidates(train: trained.train, components: [mixtureComponents], seed: context.seed,
                                                         maxIterations: context.quick ? 30 : 100)
        let candidates = Array(all.prefix(2))  // the Gaussian and GMM-k
        let points = try NoisedData(data: trained.train, count: pointCount ?? (context.quick ? 256 : 1024), seed: context.seed &+ 1)
        let sigmas = DigitsExplainedVariance.sigmas
        let small = sigmas.indices.filter { Self.smallSigmas.contains(sigmas[$0]) }
        let steps = trained.configuration.checkpointSteps
        var gaussianCurves = [DigitsExplainedVariance.Curve](), mixtureCurves = [DigitsExplainedVariance.Curve]()
        for step in steps {
            let network = try trained.denoiser(atStep: step, weights: .raw)
            let curves = try DigitsExplainedVariance.curves(reference: network, candidates: candidates, points: points, sigmas: sigmas)
            gaussianCurves.append(curves[0])
            mixtureCurves.append(curves[1])
        }
        func smallMean(_ c: DigitsExplainedVariance.Curve) -> Double { ChenSetup.mean(small.map { c.pooled[$0] }) }
        let eG = gaussianCurves.map(smallMean), eM = mixtureCurves.map(smallMean)
        let last = steps.count - 1
        let peak = eG.indices.max { eG[$0] < eG[$1] || (eG[$0] == eG[$1] && $0 > $1) } ?? last
        let earlyGaussian = peak < last && eG[peak] - eG[last] > 0.01
        let advantage = zip(eM, eG).map { $0 - $1 }
        let shiftToMixture = advantage[last] - advantage[peak] > 0.01
        let verdict: Verdict = earlyGaussian && shiftToMixture ? .holds : (earlyGaussian || shiftToMixture ? .partlyHolds : .doesNotHold)

        var numbers: [String: Double] = ["gaussian_peak_step": Double(steps[peak]), "gaussian_ev_drop_after_peak": eG[peak] - eG[last],
                                         "gmm_advantage_gain": advantage[last] - advantage[peak]]
        for (c, step) in steps.enumerated() {
            numbers["step_\(step).gaussian_small_sigma_ev"] = eG[c]
            numbers["step_\(step).gmm_small_sigma_ev"] = eM[c]
            for (i, s) in sigmas.enumerated() { numbers["step_\(step).gaussian_dt_ev_pooled_sigma_\(s)"] = gaussianCurves[c].pooled[i] }
        }
        let f = ExactMath.format
        let reading = """
        Mean pooled Dt_EV over σ ∈ {0.2 … 1} per checkpoint (steps \(steps.map(String.init).joined(separator: ", "))): \
        Gaussian \(eG.map(f).joined(separator: ", ")); GMM-\(mixtureComponents) \(eM.map(f).joined(separator: ", ")). \
        The Gaussian's agreement peaks at step \(steps[peak]) and \(earlyGaussian ? "then falls by \(f(eG[peak] - eG[last]))" : "does not fall afterwards by more than 0.01"); \
        the GMM's advantage over the Gaussian goes from \(f(advantage[peak])) there to \(f(advantage[last])) at the end. \
        At σ ≥ 2 the Gaussian's EV at the first checkpoint is \(sigmas.indices.filter { sigmas[$0] >= 2 }.map { f(gaussianCurves[0].pooled[$0]) }.joined(separator: ", ")) \
        and at the last \(sigmas.indices.filter { sigmas[$0] >= 2 }.map { f(gaussianCurves[last].pooled[$0]) }.joined(separator: ", ")).
        """
        let label = { (step: Int) in step >= 1000 ? "\(f(Double(step) / 1000))k steps" : "\(step) steps" }
        func perCheckpoint(_ curves: [DigitsExplainedVariance.Curve], _ name: String) -> Figure {
            .plot(PlotSpec(title: "W3: \(name) against the network at each checkpoint", xLabel: "σ (noise level)",
                           yLabel: "pooled Dt_EV (clamped at −0.5)", xScale: .log,
                           series: zip(steps, curves).map { .init(label: label($0.0), x: sigmas, y: $0.1.pooled.map { Swift.max($0, -0.5) }, style: .linePoints) },
                           markers: [.init(axis: .y, value: 0.99, label: "0.99")]))
        }
        let summary = PlotSpec(title: "W3: small-σ explained variance (mean over σ ∈ 0.2…1) during training",
                               xLabel: "training step", yLabel: "mean pooled Dt_EV", xScale: .log,
                               series: [.init(label: "Gaussian", x: steps.map(Double.init), y: eG, style: .linePoints),
                                        .init(label: "GMM-\(mixtureComponents)", x: steps.map(Double.init), y: eM, style: .linePoints)],
                               markers: [.init(axis: .x, value: Double(steps[peak]), label: "Gaussian peak")])
        return result(verdict: verdict, numbers: numbers, keyNumber: "gaussian_ev_drop_after_peak", reading: reading,
                      figures: [.plot(summary), perCheckpoint(gaussianCurves, "Gaussian"), perCheckpoint(mixtureCurves, "GMM-\(mixtureComponents)")],
                      config: ["model": "\(trained.configuration)", "weights": "raw", "gmm_components": "\(mixtureComponents)",
                               "points": "\(points.clean.rows)", "seed": "\(context.seed)"])
    }
}
