import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit eval`: sample-quality metrics of samples against reference data.
struct EvalCommand: ParsableCommand, PrecisionGeneric {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Sample-quality metrics: MMD, energy distance, sliced W2, FD, precision/recall, and more.",
        discussion: """
        mmd: squared MMD, unbiased, RBF kernels at ½, 1 and 2 × the median pairwise distance, averaged.
        energy_distance: 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖ (V-statistic). sliced_w2: 128 seeded directions.
        fd: Fréchet distance of Gaussian fits (1/(n−1) covariances). precision, recall: k-NN manifolds, k = 3.
        nll_gmm (with --gmm): mean negative log-likelihood under the mixture. memorization, nn_distance
        (with --train): share of samples whose nearest training point is < 1/3 of the second nearest, and
        the mean distance to the nearest training point.
        fd_classifier (with --classifier-fd; d = 64, digits scaled to [−1, 1]): Fréchet distance of the Gaussian
        fits of the bundled digit classifier's 64 penultimate features (FeatureClassifier.bundledDigits).
        nll_pf (with --pf-nll): mean −log p_{σ_min}(sample) in nats through the probability-flow ODE of a model:
        --checkpoint if given, else the --gmm mixture, else the exact denoiser of the reference set; exact divergence
        for d ≤ 16, else Hutchinson with --pf-probes seeded Rademacher probes.
        """)

    @Option(help: "Samples (n × d .npy).")
    var samples: String

    @Option(help: "Reference data (m × d .npy, or a bundled set such as digits).")
    var reference: String

    @Option(help: "Training data, for memorisation and nearest-neighbour distance.")
    var train: String?

    @Option(help: "A Gaussian mixture (.npz with weights, means, covs) for the exact NLL.")
    var gmm: String?

    @Option(help: "Seed of the sliced-W2 directions.")
    var seed: UInt64 = 0

    @Flag(name: .customLong("classifier-fd"), help: "Add fd_classifier: FD in the bundled digit classifier's feature space (d = 64).")
    var classifierFD = false

    @Flag(name: .customLong("pf-nll"), help: "Add nll_pf: the probability-flow ODE negative log-likelihood of the samples.")
    var pfNLL = false

    @Option(help: "A trained model (.safetensors) for --pf-nll.")
    var checkpoint: String?

    @Option(name: .customLong("pf-sigma-min"), help: "σ_min of --pf-nll (the density is that of data ⊛ N(0, σ_min² I)).")
    var pfSigmaMin: Double = 0.002

    @Option(name: .customLong("pf-sigma-max"), help: "σ_max of --pf-nll (prior N(0, σ_max² I)).")
    var pfSigmaMax: Double = 80

    @Option(name: .customLong("pf-steps"), help: "RK4 steps in log σ of --pf-nll.")
    var pfSteps: Int = 64

    @Option(name: .customLong("pf-probes"), help: "Hutchinson probes of --pf-nll when d > 16.")
    var pfProbes: Int = 4

    @Option(help: "Also write the metrics as one JSON object to this file.")
    var json: String?

    @Option(help: "float32 (default, fast) or float64.")
    var precision: Precision = .float32

    func validate() throws {
        guard pfSigmaMin > 0 && pfSigmaMin < pfSigmaMax && pfSigmaMax.isFinite else {
            throw ValidationError("need 0 < --pf-sigma-min < --pf-sigma-max")
        }
        guard pfSteps >= 1 && pfProbes >= 1 else { throw ValidationError("--pf-steps and --pf-probes must be positive") }
    }

    func run() throws { try runInChosenPrecision() }

    func run<S: MatrixScalar>(as: S.Type) throws {
        let x = try DataOptions.load(samples, as: S.self), y = try DataOptions.load(reference, as: S.self)
        let t = try train.map { try DataOptions.load($0, as: S.self) }
        let mixture = try gmm.map { path -> GaussianMixtureParameters<S> in
            let g = try GaussianMixtureDenoiser<S>(contentsOf: URL(fileURLWithPath: path))
            return try GaussianMixtureParameters(weights: g.weights, means: g.means, covariances: g.covariances)
        }
        let report = try MetricsReport.evaluate(samples: x, reference: y, train: t, mixture: mixture, seed: seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let encoded = try? encoder.encode(report),
              var object = (try JSONSerialization.jsonObject(with: encoded)) as? [String: Any] else {
            throw CLIError("the metrics are not finite (the data may be too large for float32: try --precision float64)")
        }
        if classifierFD {
            object["fd_classifier"] = try Metrics.classifierFrechetDistance(x, y, classifier: try FeatureClassifier<S>.bundledDigits())
        }
        if pfNLL {
            let logp = try ProbabilityFlowLikelihood.logLikelihood(try likelihoodModel(reference: y), x,
                                                                   options: pfOptions(dimension: x.columns))
            object["nll_pf"] = -logp.reduce(0, +) / Double(logp.count)
        }
        guard object.values.allSatisfy({ ($0 as? Double)?.isFinite ?? true }) else {
            throw CLIError("the metrics are not finite (the data may be too large for float32: try --precision float64)")
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        if let json { try AtomicFile.write(data, to: URL(fileURLWithPath: json)) }
        printTable(header: ["metric", "value"], rows: object.keys.sorted().map { [$0, "\(object[$0] ?? "")"] })
    }

    /// The model of --pf-nll: the checkpoint, else the mixture, else the reference's exact denoiser.
    private func likelihoodModel<S: MatrixScalar>(reference: Matrix<S>) throws
        -> any Denoiser<S> {
        if let checkpoint { return try NetworkDenoiser<S>.load(checkpoint: URL(fileURLWithPath: checkpoint)) }
        if let gmm { return try GaussianMixtureDenoiser<S>(contentsOf: URL(fileURLWithPath: gmm)) }
        return try EmpiricalDenoiser(data: reference)
    }

    private func pfOptions(dimension d: Int) -> ProbabilityFlowLikelihood.Options {
        .init(sigmaMin: pfSigmaMin, sigmaMax: pfSigmaMax, steps: pfSteps,
              divergence: d <= 16 ? .exact : .hutchinson(probes: pfProbes, seed: seed))
    }
}
