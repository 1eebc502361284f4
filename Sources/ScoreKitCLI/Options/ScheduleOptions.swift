import ArgumentParser
import Foundation
import ScoreKit

/// The σ-schedule options shared by `schedule` and `sample` (DESIGN.md command line).
struct ScheduleOptions: ParsableArguments {
    @Option(help: "Number of nonzero noise levels N (the schedule has N + 1 values with the final 0).")
    var steps: Int

    @Option(name: .customLong("sigma-min"), help: "Smallest nonzero σ (default 0.002).")
    var sigmaMin: Double?

    @Option(name: .customLong("sigma-max"), help: "Largest σ (default 80).")
    var sigmaMax: Double?

    @Option(help: "Karras/EDM ρ (default 7) or polyexponential ρ (default 1).")
    var rho: Double?

    @Option(name: .customLong("beta-d"), help: "VP β_d (default 19.9).")
    var betaD: Double?

    @Option(name: .customLong("beta-min"), help: "VP β_min (default 0.1).")
    var betaMin: Double?

    @Option(name: .customLong("eps-s"), help: "VP ε_s, the smallest time (default 1e-3).")
    var epsS: Double?

    @Option(name: .customLong("ve-t-eps"), help: "VE-geometric smallest time ε (default 1e-5).")
    var veTEps: Double?

    @Option(name: .customLong("sigmas-file"), help: "An .npy of σ values for --schedule file.")
    var sigmasFile: String?

    @Flag(name: .customLong("no-final-zero"), help: "Do not append the final σ = 0.")
    var noFinalZero = false

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1 (got \(steps))") }
        if let lo = sigmaMin, let hi = sigmaMax, lo >= hi, steps > 1 {
            throw ValidationError("--sigma-min (\(lo)) must be below --sigma-max (\(hi))")
        }
    }

    /// The schedule named `name` (`karras`, `exponential`, …, `file`) with these options.
    func schedule<S: MatrixScalar>(named name: String, as: S.Type) throws -> Schedule<S> {
        var parameters = ScheduleParameters(sigmaMin: sigmaMin, sigmaMax: sigmaMax, rho: rho, betaD: betaD,
                                            betaMin: betaMin, epsS: epsS, tEpsilon: veTEps)
        let parsed = try ScheduleName(parsing: name)
        if parsed == .explicit {
            guard let path = sigmasFile else { throw CLIError("--schedule file needs --sigmas-file s.npy") }
            parameters.sigmas = try NPY.read(contentsOf: URL(fileURLWithPath: path)).scalars(as: Double.self)
        }
        let kind = try ScheduleKind(name: parsed, parameters: parameters)
        return try kind.schedule(steps: steps, appendZero: !noFinalZero, as: S.self)
    }
}
