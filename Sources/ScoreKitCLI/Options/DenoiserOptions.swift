import ArgumentParser
import Foundation
import ScoreKit

extension CheckpointWeights: ExpressibleByArgument {}

/// The denoisers the command line can build (`--denoiser`).
enum DenoiserKind: String, ExpressibleByArgument, CaseIterable {
    case empirical, gaussian, gmm, checkpoint
}

/// Which denoiser to use and the data it is built from (shared by `sample` and `denoise`).
struct DenoiserOptions: ParsableArguments {
    @Option(help: "empirical (softmax-weighted training points), gaussian (fitted N(μ, Σ)), gmm (--gmm file) or checkpoint.")
    var denoiser: DenoiserKind

    @OptionGroup var training: DataOptions

    @Option(help: "Gaussian mixture parameters (.npz with weights [K], means [K, d], covs [K, d, d]).")
    var gmm: String?

    @Option(help: "A trained model (.safetensors from `scorekit train`).")
    var checkpoint: String?

    @Option(name: .customLong("checkpoint-weights"), help: "ema (default) or raw weights of the checkpoint.")
    var weights: CheckpointWeights = .ema

    func validate() throws {
        switch denoiser {
        case .empirical, .gaussian:
            if training.data == nil { throw ValidationError("--denoiser \(denoiser.rawValue) needs --data") }
        case .gmm:
            if gmm == nil { throw ValidationError("--denoiser gmm needs --gmm FILE.npz") }
        case .checkpoint:
            if checkpoint == nil { throw ValidationError("--denoiser checkpoint needs --checkpoint FILE") }
        }
    }

    /// The training data named by `--data`.
    func trainingData<S: MatrixScalar>(as: S.Type) throws -> Matrix<S> { try training.load(as: S.self) }

    /// The denoiser `--denoiser` names, built in precision `S`.
    func makeDenoiser<S: MatrixScalar>(as: S.Type) throws -> any Denoiser<S> {
        switch denoiser {
        case .empirical: return try EmpiricalDenoiser(data: trainingData(as: S.self))
        case .gaussian: return try GaussianDenoiser(fitting: trainingData(as: S.self))
        case .gmm:
            guard let gmm else { throw CLIError("--denoiser gmm needs --gmm FILE.npz") }
            return try GaussianMixtureDenoiser<S>(contentsOf: URL(fileURLWithPath: gmm))
        case .checkpoint:
            guard let checkpoint else { throw CLIError("--denoiser checkpoint needs --checkpoint FILE") }
            return try NetworkDenoiser<S>.load(checkpoint: URL(fileURLWithPath: checkpoint), weights: weights)
        }
    }
}
