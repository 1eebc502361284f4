import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit analyze`: take a sampling run, a data set or a model's dynamics apart. Every
/// subcommand prints a table, writes its numbers with `--json` and its figure with `--svg`
/// (drawn by the report's renderer, `PlotSpec.svgDocument`).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Trajectory geometry, Gaussian approximation, ODE dynamics and schedule error.",
        subcommands: [AnalyzeTrajectoryCommand.self, AnalyzeGaussianCommand.self, AnalyzeDynamicsCommand.self,
                      AnalyzeScheduleCommand.self])
}

/// Writes a Codable result as JSON to `path` (atomically) when asked.
func writeJSON(_ value: some Encodable, to path: String?) throws {
    guard let path else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    try AtomicFile.write(try encoder.encode(value), to: URL(fileURLWithPath: path))
}

/// Writes the figure as a standalone SVG to `path` when asked.
func writeSVG(_ plot: @autoclosure () throws -> PlotSpec, to path: String?) throws {
    guard let path else { return }
    try plot().writeSVG(to: URL(fileURLWithPath: path))
}

func format(_ v: Double) -> String { String(format: "%.4g", v) }

/// A comma-separated list of values of type T (`--steps-list 4,8,16`), or a validation error naming `option`.
func parseList<T: LosslessStringConvertible>(_ text: String, option: String) throws -> [T] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap { T($0) }
    guard !values.isEmpty && values.count == parts.count else {
        throw ValidationError("\(option) must be a comma-separated list (got '\(text)')")
    }
    return values
}
