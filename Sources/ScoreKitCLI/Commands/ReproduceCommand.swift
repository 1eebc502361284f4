import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit reproduce <id>[,<id>…]|all`: runs the paper-claim experiments of `ExperimentRegistry`, prints
/// one line per claim (id, verdict, key number, seconds), writes `OUT/<id>.json` per claim and
/// rebuilds `OUT/report.html` from every claim record in the folder.
///
/// A claim that does not hold is a result (exit 0); an experiment that throws is a failure: the
/// others still run and are reported, and the command then exits nonzero.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Reproduce the four papers' claims: verdicts, numbers and figures in an HTML report.",
        discussion: "Claims: \(ExperimentRegistry.all.map(\.id).joined(separator: ", ")) (case-insensitive), several separated by commas, or `all`.")

    @Argument(help: "A claim id (e.g. C1), several separated by commas (K1,C3), or `all`.")
    var claim: String

    @Flag(help: "Reduced sizes: every claim well under a minute.")
    var quick = false

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(help: "Output folder for <id>.json and report.html.")
    var out: String = "out/reproduce"

    @Option(help: "Folder where trained models are cached between runs (default: OUT/cache).")
    var cache: String?

    func run() throws {
        let experiments = try selected()
        let folder = ReportFolder(URL(fileURLWithPath: out, isDirectory: true))
        let cacheFolder = URL(fileURLWithPath: cache ?? folder.url.appendingPathComponent("cache").path, isDirectory: true)
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        var failures = [String]()
        for experiment in experiments {
            let relay = ProgressRelay(label: experiment.id)
            let context = ExperimentContext(quick: quick, seed: seed, cacheFolder: cacheFolder, progress: { relay.report($0, $1) })
            let start = Date()
            do {
                let result = try experiment.run(context)
                relay.finish()
                let seconds = Date().timeIntervalSince(start)
                try folder.write(ClaimRecord(result: result, run: RunInfo(
                    seed: seed, quick: quick, scoreKitVersion: ScoreKitVersion.string, seconds: seconds)))
                // Written unbuffered, so each claim's line appears as soon as it is done.
                FileHandle.standardOutput.write(Data((Self.line(result, seconds: seconds) + "\n").utf8))
            } catch {
                relay.finish()
                failures.append(experiment.id)
                FileHandle.standardError.write(Data("Error: \(experiment.id): \(error)\n".utf8))
            }
        }
        let report = try folder.writeReport(order: ExperimentRegistry.all.map(\.id))
        print("report: \(report.path)")
        if !failures.isEmpty {
            throw CLIError("\(failures.count) experiment\(failures.count == 1 ? "" : "s") failed: \(failures.joined(separator: ", "))")
        }
    }

    /// The experiments named by the argument, in report order.
    private func selected() throws -> [any Experiment] {
        if claim.lowercased() == "all" { return ExperimentRegistry.all }
        let ids = try claim.split(separator: ",").map {
            try ExperimentRegistry.experiment($0.trimmingCharacters(in: .whitespaces)).id
        }
        return ExperimentRegistry.all.filter { ids.contains($0.id) }
    }

    /// `C1  holds           max deviation 0.8 %  (12.3 s)`.
    static func line(_ result: ClaimResult, seconds: Double) -> String {
        let id = result.id.padding(toLength: max(4, result.id.count), withPad: " ", startingAt: 0)
        let verdict = result.verdict.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
        return "\(id)  \(verdict)  \(result.keyNumberText)  (\(String(format: "%.1f", seconds)) s)"
    }
}

/// Turns an experiment's (done, total) reports into a `ProgressBar`, created at the first report
/// (the experiment chooses its own units and total).
private final class ProgressRelay: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var bar: ProgressBar?
    private var reported = 0

    init(label: String) { self.label = label }

    func report(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        if bar == nil { bar = ProgressBar(label, total: total) }
        if done > reported {
            bar?.advance(by: done - reported)
            reported = done
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar?.finish()
    }
}
