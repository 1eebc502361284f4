import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit fit-gmm`: fits a Gaussian mixture by EM and saves it for `--denoiser gmm`.
struct FitGMMCommand: ParsableCommand, PrecisionGeneric {
    static let configuration = CommandConfiguration(
        commandName: "fit-gmm", abstract: "Fit a Gaussian mixture to data by EM (k-means++ start) and save it as .npz.")

    @OptionGroup var training: DataOptions

    @Option(help: "Number of components K.")
    var components: Int

    @Option(help: "Seed of the k-means++ initialisation.")
    var seed: UInt64 = 0

    @Option(name: .customLong("max-iterations"), help: "EM iterations at most.")
    var maxIterations: Int = 200

    @Option(help: "Covariance regularisation added to the diagonal.")
    var regularization: Double = 1e-6

    @Option(help: "Where to write the mixture (.npz with weights, means, covs).")
    var out: String

    // EM inverts covariances every iteration; float64 keeps near-singular components stable.
    @Option(help: "float64 (default) or float32.")
    var precision: Precision = .float64

    func validate() throws {
        guard training.data != nil else { throw ValidationError("--data is required") }
        guard components >= 1 else { throw ValidationError("--components must be at least 1") }
        guard maxIterations >= 0 else { throw ValidationError("--max-iterations must be ≥ 0") }
        guard regularization.isFinite && regularization > 0 else { throw ValidationError("--regularization must be positive") }
    }

    func run() throws { try runInChosenPrecision() }

    func run<S: MatrixScalar>(as: S.Type) throws {
        let x = try training.load(as: S.self)
        var generator = PhiloxGenerator(seed: seed)
        let start = Date()
        let (mixture, report) = try GaussianMixtureDenoiser.fit(
            x, components: components, options: EMOptions(regularization: S(regularization), maxIterations: maxIterations),
            using: &generator)
        try mixture.write(to: URL(fileURLWithPath: out))
        try printJSONLine(["out": out, "components": components, "iterations": report.iterations,
                           "log_likelihood": Double(report.logLikelihood), "converged": report.converged,
                           "seconds": Date().timeIntervalSince(start)])
    }
}
