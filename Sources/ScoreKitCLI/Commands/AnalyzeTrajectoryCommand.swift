import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit analyze trajectory t.npz`: Chen et al.'s geometry of a recorded run.
struct AnalyzeTrajectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trajectory",
        abstract: "Deviation from the chord, turning, principal-component shares, and sampling vs denoising convergence.")

    @Argument(help: "A trajectory .npz written by `scorekit sample --trajectory`.")
    var file: String

    @Option(help: "Write the full analysis as JSON here.")
    var json: String?

    @Option(help: "Write every path projected onto the top two principal components of all states (SVG) here.")
    var svg: String?

    func run() throws {
        let record = try TrajectoryRecord<Double>(contentsOf: URL(fileURLWithPath: file))
        let g = try TrajectoryGeometry(record)
        try writeSVG(try projectionPlot(record), to: svg)
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

    /// Each sample's path in the frame of the top-2 principal components of all states, start marked.
    private func projectionPlot(_ record: TrajectoryRecord<Double>) throws -> PlotSpec {
        guard record.columns >= 2 else { throw CLIError("--svg needs d ≥ 2 to project onto two components") }
        let p = try TrajectoryProjection(record, components: 2)
        var series = p.coordinates.map { PlotSpec.Series(label: "paths", x: $0[0], y: $0[1], style: .line) }
        series.append(.init(label: "start (σ = \(format(Double(record.sigmas.first ?? 0))))",
                            x: p.coordinates.map { $0[0][0] }, y: p.coordinates.map { $0[1][0] }, style: .points))
        series.append(.init(label: "end", x: p.coordinates.compactMap { $0[0].last }, y: p.coordinates.compactMap { $0[1].last },
                            style: .points))
        return PlotSpec(title: "Trajectories in the top-2 principal components (\(URL(fileURLWithPath: file).lastPathComponent))",
                        xLabel: "PC 1 (\(format(100 * p.varianceShares[0])) % of variance)",
                        yLabel: "PC 2 (\(format(100 * p.varianceShares[1])) % of variance)", series: series, equalAspect: true)
    }
}
