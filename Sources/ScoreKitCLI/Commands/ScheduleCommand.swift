import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit schedule NAME --steps N [...]`: a σ schedule as JSON on stdout or an `.npy`.
struct ScheduleCommand: ParsableCommand, PrecisionGeneric {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print or save a noise schedule (descending σ with N nonzero values and a final 0).",
        discussion: "Names: \(ScheduleName.allCases.map(\.rawValue).joined(separator: ", ")) (`file` reads --sigmas-file).")

    @Argument(help: "Schedule name, e.g. karras, exponential, polyexponential, vp, ve-geometric.")
    var name: String

    @OptionGroup var options: ScheduleOptions

    @Option(help: "Write the σ values to this .npy instead of printing JSON.")
    var out: String?

    @Option(help: "float32 or float64.")
    var precision: Precision = .float64

    func run() throws { try runInChosenPrecision() }

    func run<S: MatrixScalar>(as: S.Type) throws {
        let schedule = try options.schedule(named: name, as: S.self)
        if let out {
            try NPY.write(NDArray(shape: [schedule.sigmas.count], scalars: schedule.sigmas), to: URL(fileURLWithPath: out))
            try printJSONLine(["out": out, "count": schedule.sigmas.count])
        } else {
            try printJSONLine(["schedule": name, "steps": schedule.stepCount,
                               "sigmas": schedule.sigmas.map { Double($0) }])
        }
    }
}
