import Foundation
import ScoreKitIO

/// Chen et al. O4 (papers.md §2.2, §2.5 C5): along a learned model's own trajectories its denoiser
/// r_θ matches the optimal (empirical) denoiser r* of the training set at large t, departs from it
/// at intermediate t, and at small t either coincides again or stays apart — and this modest
/// deviation is what lets the learned model generate new points instead of memorising.
public struct C5ScoreDeviation: Experiment {
    public let id = "C5"
    public let paper = Paper.chen
    public let claim = "A learned denoiser matches the optimal empirical denoiser at large noise, deviates at intermediate noise, and thanks to that deviation memorises less than the optimal sampler (which copies training points)."
    public let criterion = """
    ring8 (d = 2), n = 1000 training points; an MLP (2 residual blocks, FiLM, positional noise embedding; width 128, \
    batch 256, 10,000 steps — quick: width 64, batch 128, 1,500 steps) with EDM preconditioning and EDM loss in the \
    data's units (σ_data = the data's per-coordinate std s, ln σ ~ N(−1.2 + ln(s/0.5), 1.2)), Adam 1e-3 (cosine), EMA \
    β = 1 − max(10/steps, 0.001) (horizon a tenth of the run, at most 1000 steps: 0.999 at 10,000 steps). Euler, 50 steps, Karras ρ = 7, σ 80→0.002, 1000 trajectories (quick 256); δ_n = ‖r_θ(x_n) − r*(x_n)‖/√d per \
    sample, r* the exact empirical denoiser of the training set. (A) matched at large t: the mean of the batch-mean δ over \
    σ ≥ 10 is ≤ 0.1 × its peak over all steps; (B) peaked at intermediate t: the peak is at σ < 10 and not at the last \
    positive σ; (C) memorisation ratio (d₁ < d₂/3) of the final samples ≤ 0.9 for the learned model and ≥ 0.99 for the \
    optimal sampler from the same x_T. Holds if (A)–(C); does not hold if none; partly holds otherwise.
    """

    let trainingSteps: Int?
    let batchOverride: Int?
    let trainingPoints: Int
    let steps: Int

    public init() { self.init(trainingSteps: nil, batch: nil, trainingPoints: 1000, steps: 50) }

    /// Smaller runs for tests.
    init(trainingSteps: Int?, batch: Int?, trainingPoints: Int, steps: Int) {
        self.trainingSteps = trainingSteps
        self.batchOverride = batch
        self.trainingPoints = trainingPoints
        self.steps = steps
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let batch = batchOverride ?? (context.quick ? 256 : 1000)
        let data = try IsotropicMixture<Double>.ring().sample(count: trainingPoints, seed: context.seed).points
        let configuration = try Self.configuration(data: data, steps: trainingSteps ?? (context.quick ? 1500 : 10_000),
                                                   width: context.quick ? 64 : 128, batch: context.quick ? 128 : 256, seed: context.seed)
        let (learned, reused) = try Self.trainedModel(configuration, data: data, cache: context.cacheFolder) { done in
            context.progress(done, configuration.steps + 2)
        }
        let exact = try EmpiricalDenoiser(data: data)
        let sigmas = try ChenSetup.karras(steps: steps)
        let start = ChenSetup.start(count: batch, dimension: 2, seed: context.seed &+ 40)
        let record = try ChenSetup.eulerRecord(learned, start: start, sigmas: sigmas)
        let exactRecord = try ChenSetup.eulerRecord(exact, start: start, sigmas: sigmas)
        context.progress(configuration.steps + 1, configuration.steps + 2)
        guard let final = record.x.last, let exactFinal = exactRecord.x.last else {
            throw ExperimentError.failed(id: id, reason: "empty trajectory")
        }
        let deviation = try ScoreDeviation(record, exact: exact)
        let perSample = try Self.perSampleDeviation(record, exact: exact)
        let learnedProximity = try Metrics.trainingSetProximity(final, train: data)
        let exactProximity = try Metrics.trainingSetProximity(exactFinal, train: data)
        let mmdReference = try IsotropicMixture<Double>.ring().sample(count: batch, seed: context.seed &+ 41).points
        let learnedMMD = try Metrics.maximumMeanDiscrepancy(final, mmdReference).value

        let mean = deviation.meanDeviation
        let peakIndex = mean.indices.max { mean[$0] < mean[$1] } ?? 0
        let peak = mean.isEmpty ? 0 : mean[peakIndex]
        let large = mean.indices.filter { deviation.sigmas[$0] >= 10 }.map { mean[$0] }
        let largeMean = ChenSetup.mean(large)
        let matched = !large.isEmpty && largeMean <= 0.1 * peak
        let peaked = deviation.sigmas[peakIndex] < 10 && peakIndex < mean.count - 1
        let lessMemorised = learnedProximity.memorization <= 0.9 && exactProximity.memorization >= 0.99
        let met = [matched, peaked, lessMemorised].filter { $0 }.count
        let verdict: Verdict = met == 3 ? .holds : (met == 0 ? .doesNotHold : .partlyHolds)
        let finalDeviations = perSample.last ?? []
        let coinciding = Double(finalDeviations.filter { $0 <= 0.1 * peak }.count) / Double(max(finalDeviations.count, 1))

        let numbers: [String: Double] = [
            "peak_mean_deviation": peak, "peak_sigma": deviation.sigmas[peakIndex],
            "mean_deviation_sigma_ge_10": largeMean, "peak_before_last_step": peakIndex < mean.count - 1 ? 1 : 0, "final_mean_deviation": mean.last ?? .nan,
            "share_final_deviation_le_0.1_peak": coinciding,
            "memorisation_learned": learnedProximity.memorization, "memorisation_exact": exactProximity.memorization,
            "nn_distance_learned": learnedProximity.nearestNeighbourDistance, "nn_distance_exact": exactProximity.nearestNeighbourDistance,
            "mmd_learned_to_fresh_ring": learnedMMD, "training_steps": Double(configuration.steps),
        ]
        let key = "peak δ \(ChenSetup.format(peak)) at σ = \(ChenSetup.format(deviation.sigmas[peakIndex])); memorised \(ChenSetup.format(learnedProximity.memorization * 100)) % (learned) vs \(ChenSetup.format(exactProximity.memorization * 100)) % (optimal)"
        let reading = """
        The trained MLP (\(configuration.steps) steps, \(reused ? "reused from the cache" : "trained now"); MMD² to fresh ring \
        samples \(ChenSetup.format(learnedMMD))) \(matched ? "follows" : "does not closely follow") the optimal denoiser at large \
        noise (mean δ over σ ≥ 10: \(ChenSetup.format(largeMean)), \(matched ? "≤" : ">") 10 % of the peak), departs from it most at σ = \
        \(ChenSetup.format(deviation.sigmas[peakIndex])) (δ = \(ChenSetup.format(peak)); \(peaked ? "an intermediate peak" : "not an intermediate peak")), \
        and ends at δ = \(ChenSetup.format(mean.last ?? .nan)) at σ_min, with \(ChenSetup.format(coinciding * 100)) % of the \
        samples back within 10 % of the peak (coinciding) and the rest apart. Memorisation ratio: learned \
        \(ChenSetup.format(learnedProximity.memorization * 100)) % (mean NN distance \(ChenSetup.format(learnedProximity.nearestNeighbourDistance))), \
        optimal \(ChenSetup.format(exactProximity.memorization * 100)) % (\(ChenSetup.format(exactProximity.nearestNeighbourDistance))): \
        the deviation from r* is what keeps the learned sampler from copying the training set.
        """
        return result(verdict: verdict, numbers: numbers, keyNumber: key, reading: reading,
                      figures: [deviationFigure(deviation, perSample: perSample), samplesFigure(data: data, learned: final)],
                      config: ["data": "ring8, \(trainingPoints) points", "training_steps": String(configuration.steps),
                               "width_batch": "\(configuration.model.width)/\(configuration.batchSize)",
                               "sigma_data": ChenSetup.format(Self.sigmaData(configuration), 4), "sampler": "euler",
                               "steps": String(steps), "trajectories": String(batch)])
    }

    /// EDM's recipe on a small MLP, carried to the data's units: σ_data is the data's per-coordinate
    /// standard deviation s and the log-normal training σ is shifted by ln(s/0.5) (EDM's recipe is for
    /// s = 0.5), so training covers the same part of the sampling range as EDM's. The positional noise
    /// embedding (EDM's DDPM++) varies slowly in c_noise, so the rare σ near σ_max = 80 are not left
    /// to the random high frequencies of a Fourier embedding. The EMA horizon 1/(1 − β) is a tenth of
    /// the run (at most EDM's 1000 steps), so a short run's average is not dominated by its first steps.
    static func configuration(data: Matrix<Double>, steps: Int, width: Int, batch: Int, seed: UInt64) throws -> TrainingConfiguration {
        let means = data.columnMeans()
        let variance = (0..<data.rows).reduce(0.0) { sum, r in
            sum + zip(data.row(r), means).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        } / Double(data.rows * data.columns)
        let sigmaData = (variance.squareRoot() * 1000).rounded() / 1000
        return TrainingConfiguration(
            model: MLPDenoiserNetConfiguration(dataDimension: data.columns, width: width, depth: 2,
                                               noiseInput: .positional(channels: 32)),
            parameterization: .preconditioned(.edm(sigmaData: sigmaData)),
            noiseDistribution: .logNormal(mean: -1.2 + Foundation.log(sigmaData / 0.5), standardDeviation: 1.2),
            weighting: .edm(sigmaData: sigmaData),
            batchSize: batch, steps: steps,
            learningRate: try LearningRateSchedule(base: 1e-3, warmupSteps: min(100, steps / 10),
                                                   decay: .cosine(totalSteps: steps, minimum: 1e-5)),
            emaDecay: 1 - max(10 / Double(max(steps, 1)), 0.001), seed: seed)
    }

    /// The EMA denoiser of a run of `configuration` on `data`, from the checkpoint in `cache` when one
    /// with this configuration, data and step count is there, else trained now (in Float) and written
    /// atomically. Returns whether the cached checkpoint was reused.
    static func trainedModel(_ configuration: TrainingConfiguration, data: Matrix<Double>, cache: URL,
                             progress: (Int) -> Void) throws -> (NetworkDenoiser<Double>, reused: Bool) {
        let floatData = data.converted(to: Float.self)
        let fingerprint = DataFingerprint(floatData)
        let name = String(format: "C5-ring8-%016llx-w%d-%d-%016llx.safetensors", fingerprint.checksum, configuration.model.width,
                          configuration.steps, configuration.seed)
        let url = cache.appendingPathComponent(name)
        if let cached = try? Checkpoint<Float>.read(from: url), cached.configuration == configuration,
           cached.data == fingerprint, cached.step == configuration.steps {
            return (try NetworkDenoiser<Double>.load(checkpoint: url), true)
        }
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        var trainer = try Trainer(configuration: configuration, data: floatData)
        _ = try trainer.trainToEnd { progress($0.step) }
        try trainer.checkpoint.write(to: url)
        return (try NetworkDenoiser<Double>.load(checkpoint: url), false)
    }

    /// σ_data of an EDM-preconditioned configuration (NaN otherwise), for the report's settings.
    static func sigmaData(_ configuration: TrainingConfiguration) -> Double {
        if case .preconditioned(.edm(let s)) = configuration.parameterization { return s }
        return .nan
    }

    /// δ_n per sample, [step][sample], at the recorded states with σ > 0 (`ScoreDeviation` keeps
    /// only the batch mean and maximum; the band of the figure needs the spread).
    static func perSampleDeviation<D: Denoiser>(_ record: TrajectoryRecord<Double>, exact: D) throws -> [[Double]] where D.Scalar == Double {
        let scale = 1 / Double(record.columns).squareRoot()
        return try record.sigmas.indices.filter { record.sigmas[$0] > 0 }.map { n in
            ChenProxy.rowDistances(record.denoised[n], try exact.denoise(record.x[n], sigma: record.sigmas[n])).map { $0 * scale }
        }
    }

    private func deviationFigure(_ deviation: ScoreDeviation, perSample: [[Double]]) -> Figure {
        .plot(PlotSpec(
            title: "C5: deviation of the learned denoiser from the optimal one along its trajectories",
            xLabel: "σ = t (noise level, log scale)", yLabel: "‖r_θ − r*‖/√d (log scale)", xScale: .log, yScale: .log,
            series: [
                .init(label: "batch mean", x: deviation.sigmas, y: deviation.meanDeviation, style: .linePoints),
                .init(label: "10th percentile", x: deviation.sigmas, y: perSample.map { ChenProxy.quantile($0, 0.1) }),
                .init(label: "90th percentile", x: deviation.sigmas, y: perSample.map { ChenProxy.quantile($0, 0.9) }),
            ],
            markers: [.init(axis: .x, value: 10, label: "σ = 10")]))
    }

    private func samplesFigure(data: Matrix<Double>, learned: Matrix<Double>) -> Figure {
        .plot(PlotSpec(
            title: "C5: learned samples over the training points", xLabel: "x₁", yLabel: "x₂",
            series: [
                .init(label: "training points", x: (0..<data.rows).map { data[$0, 0] }, y: (0..<data.rows).map { data[$0, 1] }, style: .points),
                .init(label: "learned samples", x: (0..<learned.rows).map { learned[$0, 0] }, y: (0..<learned.rows).map { learned[$0, 1] }, style: .points),
            ],
            equalAspect: true))
    }
}
