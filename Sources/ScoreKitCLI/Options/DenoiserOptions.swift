import ArgumentParser
import Foundation
import ScoreKit

/// The exact denoisers the command line can build (`--denoiser`).
enum DenoiserKind: String, ExpressibleByArgument, CaseIterable {
    case empirical, gaussian, gmm, checkpoint
}

/// Which denoiser to use and the data it is built from (shared by `sample` and `denoise`).
struct DenoiserOptions: ParsableArguments {
    @Option(help: "empirical (softmax-weighted training points), gaussian (fitted N(μ, Σ)), gmm (--gmm file) or checkpoint.")
    var denoiser: DenoiserKind

    @Option(help: "Training data: an .npy/.csv file (N × d), or a bundled set: digits, \(ToyDataset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var data: String?

    @Option(name: .customLong("data-count"), help: "Points to generate for a synthetic --data set.")
    var dataCount: Int = 2048

    @Option(name: .customLong("data-seed"), help: "Seed of a synthetic --data set.")
    var dataSeed: UInt64 = 0

    @Option(help: "Gaussian mixture parameters (.npz with weights [K], means [K, d], covs [K, d, d]).")
    var gmm: String?

    @Option(help: "A trained model (.safetensors).")
    var checkpoint: String?

    func validate() throws {
        switch denoiser {
        case .empirical, .gaussian:
            if data == nil { throw ValidationError("--denoiser \(denoiser.rawValue) needs --data") }
        case .gmm:
            if gmm == nil { throw ValidationError("--denoiser gmm needs --gmm FILE.npz") }
        case .checkpoint:
            if checkpoint == nil { throw ValidationError("--denoiser checkpoint needs --checkpoint FILE") }
        }
        guard dataCount > 0 else { throw ValidationError("--data-count must be positive") }
    }

    /// The training data named by `--data`.
    func trainingData<S: MatrixScalar>(as: S.Type) throws -> Matrix<S> {
        guard let data else { throw CLIError("--data is required here") }
        let x: Matrix<S>
        if data == "digits" {
            x = try Digits<S>.load().images
        } else if let toy = ToyDataset(rawValue: data) {
            x = toy.sample(count: dataCount, seed: dataSeed, as: S.self)
        } else if data.hasSuffix(".csv") || data.hasSuffix(".csv.gz") {
            x = try CSV.read(contentsOf: URL(fileURLWithPath: data), as: S.self).matrix
        } else {
            x = try NPY.readMatrix(contentsOf: URL(fileURLWithPath: data), as: S.self)
        }
        guard x.rows > 0 else { throw CLIError("\(data): the training data is empty") }
        guard x.isFinite else { throw CLIError("\(data): the training data contains NaN or infinite values") }
        return x
    }

    /// The denoiser `--denoiser` names, built in precision `S`.
    func makeDenoiser<S: MatrixScalar>(as: S.Type) throws -> any Denoiser<S> {
        switch denoiser {
        case .empirical: return try EmpiricalDenoiser(data: trainingData(as: S.self))
        case .gaussian: return try GaussianDenoiser(fitting: trainingData(as: S.self))
        case .gmm: return try loadMixture(as: S.self)
        case .checkpoint:
            throw CLIError("--denoiser checkpoint: trained models are not available in this version yet")
        }
    }

    private func loadMixture<S: MatrixScalar>(as: S.Type) throws -> GaussianMixtureDenoiser<S> {
        guard let gmm else { throw CLIError("--denoiser gmm needs --gmm FILE.npz") }
        let arrays = try NPZ.read(contentsOf: URL(fileURLWithPath: gmm))
        func array(_ name: String) throws -> NDArray {
            guard let a = arrays.first(where: { $0.name == name })?.array else {
                throw CLIError("\(gmm): no array '\(name)' (expected weights, means, covs)")
            }
            return a
        }
        let weights = try array("weights"), means = try array("means"), covs = try array("covs")
        guard means.shape.count == 2, covs.shape == [means.shape[0], means.shape[1], means.shape[1]],
              weights.shape == [means.shape[0]] else {
            throw CLIError("\(gmm): shapes weights \(weights.shape), means \(means.shape), covs \(covs.shape) do not fit K, K×d, K×d×d")
        }
        return try GaussianMixtureDenoiser(weights: weights.scalars(as: S.self), means: means.matrix(as: S.self),
                                           stackedCovariances: covs.scalars(as: S.self))
    }
}
