import Foundation

/// W5 (papers.md §0.4(a), §4.4): coarse-to-fine generation. Along the trained model's sampling
/// runs, the coefficient of D_θ(x_σ) − μ on principal direction u_k settles (reaches 90 % of its final
/// value, `CoarseToFine`) at σ_90 ≈ 0.48 √λ_k under the Gaussian model, so high-variance directions
/// are decided first. The same measurement on the exact Gaussian flow is the calibration.
public struct W5CoarseToFine: Experiment {
    public let id = "W5"
    public let paper = Paper.wangVastola
    public let claim = "Generation is coarse-to-fine: principal direction k of the data is fixed at σ ≈ 0.48 √λ_k, high-variance directions first."
    public let criterion = """
    Trained digits MLP, Heun on a fine Karras grid (ρ = 7, σ 80 → 0.002); per PC k of the training split (top K), the \
    median over samples of σ_90,k, where u_kᵀ(D − μ) reaches and keeps 90 % of its final value. Holds if (a) the \
    Spearman correlation between λ_k and σ_90,k is ≥ 0.8 and (b) the median of σ_90,k / (0.48 √λ_k) lies in [1/3, 3]; \
    partly holds if one of them; otherwise does not hold.
    """

    let model: TrainedDigitsModel.Configuration?
    let sampleCount: Int?
    let components: Int?

    public init() { self.init(model: nil, sampleCount: nil, components: nil) }

    /// Smaller runs for tests.
    init(model: TrainedDigitsModel.Configuration?, sampleCount: Int?, components: Int?) {
        self.model = model
        self.sampleCount = sampleCount
        self.components = components
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let trained = try TrainedDigitsModel.load(model ?? .standard(quick: context.quick, seed: context.seed),
                                                  cacheFolder: context.cacheFolder, progress: context.progress)
        let network = try trained.denoiser()
        let gaussian = try trained.gaussian()
        let k = min(components ?? (context.quick ? 20 : 32), gaussian.rank)
        let count = sampleCount ?? (context.quick ? 128 : 512)
        let sigmas = try Schedule<Double>.karras(steps: context.quick ? 64 : 128, sigmaMin: 0.002, sigmaMax: 80).sigmas
        let xT = CounterNormalRNG(seed: context.seed).normals(rows: count, columns: gaussian.dimension, draw: 0, as: Double.self) * 80
        let measured = try Self.fixing(network, xT: xT, sigmas: sigmas, gaussian: gaussian, components: k)
        let calibration = try Self.fixing(gaussian, xT: xT, sigmas: sigmas, gaussian: gaussian, components: k)

        let rho = Self.spearman(measured.eigenvalues, measured.fixSigma)
        let ratios = zip(measured.fixSigma, measured.predictedSigma).map { $0 / $1 }
        let medianRatio = ExactMath.median(ratios)
        let monotone = rho >= 0.8
        let scaleMatches = medianRatio >= 1.0 / 3 && medianRatio <= 3
        let verdict: Verdict = monotone && scaleMatches ? .holds : (monotone || scaleMatches ? .partlyHolds : .doesNotHold)

        var numbers: [String: Double] = ["spearman_lambda_vs_sigma90": rho, "median_measured_over_predicted": medianRatio,
                                         "gaussian_flow_median_measured_over_predicted":
                                            ExactMath.median(zip(calibration.fixSigma, calibration.predictedSigma).map { $0 / $1 }),
                                         "gaussian_flow_spearman": Self.spearman(calibration.eigenvalues, calibration.fixSigma)]
        for i in 0..<k {
            numbers["pc_\(i + 1).lambda"] = measured.eigenvalues[i]
            numbers["pc_\(i + 1).sigma90_network"] = measured.fixSigma[i]
            numbers["pc_\(i + 1).sigma90_predicted"] = measured.predictedSigma[i]
        }
        let f = ExactMath.format
        let reading = """
        Over the top \(k) principal directions (λ from \(f(measured.eigenvalues[0])) to \(f(measured.eigenvalues[k - 1]))), the \
        network's σ_90 goes from \(f(measured.fixSigma[0])) to \(f(measured.fixSigma[k - 1])) against the Gaussian prediction \
        0.48√λ from \(f(measured.predictedSigma[0])) to \(f(measured.predictedSigma[k - 1])). Spearman(λ, σ_90) = \(f(rho)); the median \
        measured/predicted ratio is \(f(medianRatio)). On the exact Gaussian flow with the same grid the ratio is \
        \(f(numbers["gaussian_flow_median_measured_over_predicted"] ?? .nan)), the resolution of the grid and of the 90 % interpolation. \
        Criteria: (a) monotone \(monotone ? "met" : "not met"), (b) scale \(scaleMatches ? "met" : "not met").
        """
        let index = (1...k).map(Double.init)
        let perPC = PlotSpec(
            title: "W5: σ at which principal direction k is fixed (90 % of its final value)", xLabel: "principal component k (λ descending)",
            yLabel: "σ_90 (noise level)", yScale: .log,
            series: [.init(label: "trained network (median over samples)", x: index, y: measured.fixSigma.map { Swift.max($0, 1e-3) }, style: .linePoints),
                     .init(label: "Gaussian prediction 0.48 √λ_k", x: index, y: measured.predictedSigma, style: .line),
                     .init(label: "exact Gaussian flow (calibration)", x: index, y: calibration.fixSigma.map { Swift.max($0, 1e-3) }, style: .points)])
        let diagonal = [measured.predictedSigma.min() ?? 0.01, measured.predictedSigma.max() ?? 1]
        let scatter = PlotSpec(
            title: "W5: measured vs predicted σ_90", xLabel: "predicted σ_90 = 0.48 √λ_k", yLabel: "measured σ_90 (network)",
            xScale: .log, yScale: .log,
            series: [.init(label: "principal directions", x: measured.predictedSigma, y: measured.fixSigma.map { Swift.max($0, 1e-3) }, style: .points),
                     .init(label: "measured = predicted", x: diagonal, y: diagonal, style: .line)])
        return result(verdict: verdict, numbers: numbers, keyNumber: "spearman_lambda_vs_sigma90", reading: reading,
                      figures: [.plot(perPC), .plot(scatter)],
                      config: ["model": "\(trained.configuration)", "samples": "\(count)", "components": "\(k)",
                               "sampler": "heun, \(sigmas.count - 1) Karras steps", "seed": "\(context.seed)"])
    }

    /// `CoarseToFine` of a Heun run of `denoiser` from `xT`.
    static func fixing<D: Denoiser>(_ denoiser: D, xT: Matrix<Double>, sigmas: [Double], gaussian: GaussianDenoiser<Double>,
                                    components: Int) throws -> CoarseToFine where D.Scalar == Double {
        var noise = NoNoise<Double>()
        let record = try SamplerName.kdiffusion(.heun).record(denoiser, from: xT, sigmas: sigmas, noise: &noise)
        return try CoarseToFine(record, gaussian: gaussian, components: components)
    }

    /// Spearman's rank correlation (ties get their mean rank).
    static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var r = [Double](repeating: 0, count: v.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
                for t in i...j { r[order[t]] = Double(i + j) / 2 }
                i = j + 1
            }
            return r
        }
        let (ra, rb) = (ranks(a), ranks(b))
        let (ma, mb) = (ChenSetup.mean(ra), ChenSetup.mean(rb))
        let cov = zip(ra, rb).reduce(0.0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
        let va = ra.reduce(0.0) { $0 + ($1 - ma) * ($1 - ma) }, vb = rb.reduce(0.0) { $0 + ($1 - mb) * ($1 - mb) }
        return va > 0 && vb > 0 ? cov / (va * vb).squareRoot() : .nan
    }
}
