import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit analyze`: take a sampling run or a data set apart.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Trajectory geometry and Gaussian-approximation analysis.",
        subcommands: [AnalyzeTrajectoryCommand.self, AnalyzeGaussianCommand.self])
}

/// Writes a Codable result as JSON to `path` (atomically) when asked.
private func writeJSON(_ value: some Encodable, to path: String?) throws {
    guard let path else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try AtomicFile.write(try encoder.encode(value), to: URL(fileURLWithPath: path))
}

private func format(_ v: Double) -> String { String(format: "%.4g", v) }

/// `scorekit analyze trajectory t.npz`: Chen et al.'s geometry of a recorded run.
struct AnalyzeTrajectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trajectory",
        abstract: "Deviation from the chord, turning, principal-component shares, and sampling vs denoising convergence.")

    @Argument(help: "A trajectory .npz written by `scorekit sample --trajectory`.")
    var file: String

    @Option(help: "Write the full analysis as JSON here.")
    var json: String?

    func run() throws {
        let record = try TrajectoryRecord<Double>(contentsOf: URL(fileURLWithPath: file))
        let g = try TrajectoryGeometry(record)
        try writeJSON(g, to: json)
        print("\(file): \(record.rows) samples, \(record.sigmas.count) states, d = \(record.columns), NFE \(record.nfe)")
        printTable(header: ["quantity", "value"], rows: [
            ["mean max deviation / chord", format(g.meanMaxDeviation)],
            ["mean total turning (rad)", format(g.meanTotalTurning)],
            ["top-1/2/3 PC variance share", g.meanPrincipalShares.map(format).joined(separator: " / ")],
            ["σ where x reaches 10 % of its start distance", format(g.samplingConvergenceSigma)],
            ["σ where D(x; σ) reaches it", format(g.denoisingConvergenceSigma)],
        ])
    }
}

/// `scorekit analyze gaussian --data X`: how well Gaussian and mixture denoisers explain the exact one.
struct AnalyzeGaussianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaussian",
        abstract: "Explained variance of Gaussian, low-rank and GMM denoisers against the exact empirical one, and the safe teleportation σ.")

    @OptionGroup var training: DataOptions

    @Option(help: "Ranks of the low-rank Gaussians to compare (comma separated).")
    var ranks: String = "1,4"

    @Option(name: .customLong("gmm-components"), help: "Components of an EM-fitted mixture to compare (0: none).")
    var gmmComponents: Int = 0

    @Option(help: "Noised points per σ.")
    var points: Int = 512

    @Option(help: "Seed of the noised points and the mixture fit.")
    var seed: UInt64 = 0

    @Option(help: "Explained variance the teleportation σ must keep.")
    var threshold: Double = 0.99

    @Option(help: "Write the curves and the teleportation σ as JSON here.")
    var json: String?

    struct Output: Encodable {
        let curves: [ExplainedVarianceCurve]
        let teleportation: TeleportationSigma
    }

    func validate() throws {
        guard training.data != nil else { throw ValidationError("--data is required") }
        guard points >= 2 else { throw ValidationError("--points must be at least 2") }
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must lie in (0, 1]") }
    }

    func run() throws {
        let x = try training.load(as: Double.self)
        let exact = try EmpiricalDenoiser(data: x)
        let gaussian = try GaussianDenoiser(fitting: x)
        var candidates = [NamedDenoiser<Double>("gaussian", gaussian)]
        for k in ranks.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        where k >= 1 && k < x.columns {
            candidates.append(NamedDenoiser("gaussian rank \(k)", try gaussian.lowRank(k)))
        }
        if gmmComponents > 0 {
            var generator = PhiloxGenerator(seed: seed)
            let (mixture, _) = try GaussianMixtureDenoiser.fit(x, components: gmmComponents, using: &generator)
            candidates.append(NamedDenoiser("gmm \(gmmComponents)", mixture))
        }
        let noised = try NoisedData(data: x, count: points, seed: seed)
        let sigmas = (0..<25).map { 80 * pow(0.002 / 80, Double($0) / 24) }
        let curves = try ExplainedVariance.curves(reference: exact, candidates: candidates, points: noised, sigmas: sigmas)
        let teleport = try TeleportationSigma(reference: exact, candidate: gaussian, points: noised, grid: sigmas,
                                              threshold: threshold)
        try writeJSON(Output(curves: curves, teleportation: teleport), to: json)
        printTable(header: ["σ"] + curves.map(\.name), rows: sigmas.indices.map { i in
            [format(sigmas[i])] + curves.map { format($0.pooled[i]) }
        })
        let skip = teleport.sigma.map(format) ?? "none (fails at the largest σ)"
        print("largest safe teleportation: down to σ = \(skip) (Gaussian explains ≥ \(threshold) above it)")
    }
}
