import ArgumentParser
import Foundation
import ScoreKit

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

    @Option(help: "Write the explained-variance curves against σ (SVG) here.")
    var svg: String?

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
        try writeSVG(PlotSpec(
            title: "Explained variance of the exact denoiser (denoiser space)", xLabel: "σ (noise level)",
            yLabel: "explained variance", xScale: .log,
            series: curves.map { .init(label: $0.name, x: $0.sigmas, y: $0.pooled, style: .linePoints) },
            markers: [.init(axis: .y, value: threshold, label: "threshold \(format(threshold))")]
                + (teleport.sigma.map { [.init(axis: .x, value: $0, label: "teleportation σ")] } ?? [])), to: svg)
        printTable(header: ["σ"] + curves.map(\.name), rows: sigmas.indices.map { i in
            [format(sigmas[i])] + curves.map { format($0.pooled[i]) }
        })
        let skip = teleport.sigma.map(format) ?? "none (fails at the largest σ)"
        print("largest safe teleportation: down to σ = \(skip) (Gaussian explains ≥ \(threshold) above it)")
    }
}
