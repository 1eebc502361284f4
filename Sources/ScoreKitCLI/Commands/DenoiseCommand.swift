import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit denoise`: evaluates D(x; σ) of an exact denoiser on a batch.
struct DenoiseCommand: ParsableCommand, PrecisionGeneric {
    static let configuration = CommandConfiguration(
        commandName: "denoise", abstract: "Evaluate an exact denoiser D(x; σ) on the rows of an .npy file.")

    @OptionGroup var model: DenoiserOptions

    @Option(help: "The noisy points (B × d .npy).")
    var x: String

    @Option(help: "The noise level σ > 0.")
    var sigma: Double

    @Option(help: "Where to write D(x; σ) (.npy).")
    var out: String

    @Option(help: "float32 or float64.")
    var precision: Precision = .float64

    func validate() throws {
        guard sigma.isFinite && sigma > 0 else { throw ValidationError("--sigma must be positive and finite (got \(sigma))") }
    }

    func run() throws { try runInChosenPrecision() }

    func run<S: MatrixScalar>(as: S.Type) throws {
        let denoiser = try model.makeDenoiser(as: S.self)
        let input = try NPY.readMatrix(contentsOf: URL(fileURLWithPath: x), as: S.self)
        guard input.isFinite else { throw CLIError("\(x): contains NaN or infinite values") }
        let start = Date()
        let d = try denoiser.denoise(input, sigma: S(sigma))
        try NPY.write(d, to: URL(fileURLWithPath: out))
        try printJSONLine(["out": out, "rows": d.rows, "seconds": Date().timeIntervalSince(start)])
    }
}
