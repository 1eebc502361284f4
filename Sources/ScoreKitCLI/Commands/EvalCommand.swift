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

    @Option(help: "Also write the metrics as one JSON object to this file.")
    var json: String?

    @Option(help: "float32 (default, fast) or float64.")
    var precision: Precision = .float32

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
        let data: Data
        do { data = try encoder.encode(report) } catch {
            throw CLIError("the metrics are not finite (the data may be too large for float32: try --precision float64)")
        }
        if let json { try AtomicFile.write(data, to: URL(fileURLWithPath: json)) }
        let object = (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        printTable(header: ["metric", "value"], rows: object.keys.sorted().map { [$0, "\(object[$0] ?? "")"] })
    }
}
