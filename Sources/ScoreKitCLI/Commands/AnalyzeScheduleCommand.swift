import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit analyze schedule`: which σ schedule to sample with, measured two ways.
///
/// 1. **Error against the number of steps** (Wang, He & Tao; papers.md §3.2, §3.4): for every
///    schedule in `--schedules`, step count in `--steps-list` and injected error size δ in
///    `--deltas` (`PerturbedDenoiser`), the RMS-per-coordinate distance of the sampler's output
///    from a tight rk45 solve of the unperturbed PF-ODE from the same start (`ScheduleErrorStudy`),
///    and where two schedules' curves cross.
/// 2. **GITS** (Chen et al., ICML'24; papers.md §2.3), with `--gits-steps K`: a teacher run
///    (`--teacher-sampler`, default iPNDM as GITS, on a Karras ρ = 7 grid of `--teacher-steps`)
///    gives the cost matrix of one Euler jump between any two grid points; the dynamic program
///    with coefficient `--coefficient` picks K jumps from σ_max to σ_min (`GITSSchedule`; K + 1
///    positive σ, then 0). It and the Karras schedule with as many positive σ are then scored
///    like (1) at δ = 0.
///
/// `--svg out.svg` draws the error curves against N (log–log); with GITS, `out-gits.svg` shows
/// the GITS and Karras σ against the step index.
struct AnalyzeScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Sampling error vs number of steps per schedule with an injected score error, and the GITS schedule search.")

    @OptionGroup var model: DenoiserOptions

    @Option(help: "The sampler whose error is measured.")
    var sampler: String = "euler"

    @Option(help: "Schedules to compare (comma separated): karras, exponential, logsnr, polyexponential, edm, ….")
    var schedules: String = "karras,exponential,logsnr"

    @Option(name: .customLong("steps-list"), help: "Step counts N to test (comma separated).")
    var stepsList: String = "4,8,16,32"

    @Option(help: "Injected denoiser error sizes δ (comma separated).")
    var deltas: String = "0,0.05"

    @Option(help: "constant (D + δu) or noise_scaled (D + δσu).")
    var perturbation: String = "constant"

    @Option(name: .customLong("sigma-min"), help: "Smallest σ of every schedule.")
    var sigmaMin: Double = 0.002

    @Option(name: .customLong("sigma-max"), help: "Largest σ of every schedule.")
    var sigmaMax: Double = 80

    @Option(help: "Karras/EDM ρ.")
    var rho: Double = 7

    @Option(help: "Samples per measurement (starts σ_max z).")
    var count: Int = 32

    @Option(help: "Seed of the starts and the error direction.")
    var seed: UInt64 = 0

    @Option(name: .customLong("gits-steps"), help: "Also search a GITS schedule with this many steps.")
    var gitsSteps: Int?

    @Option(name: .customLong("teacher-steps"), help: "Steps of the GITS teacher's Karras grid.")
    var teacherSteps: Int = 60

    @Option(name: .customLong("teacher-sampler"), help: "The GITS teacher's sampler.")
    var teacherSampler: String = "ipndm"

    @Option(help: "GITS's DP coefficient (later steps weigh coefficient^m more).")
    var coefficient: Double = 1.15

    @Option(help: "Write the curves, crossovers and GITS result as JSON here.")
    var json: String?

    @Option(help: "Write the error curves (and, with GITS, <name>-gits.svg) as SVG here.")
    var svg: String?

    struct GITSResult: Encodable {
        let schedule: GITSSchedule
        let karrasSigmas: [Double]
        /// Error of the GITS and the Karras schedule with the same K + 1 positive σ at δ = 0.
        let comparison: ScheduleErrorStudy
    }

    struct Output: Encodable {
        let study: ScheduleErrorStudy
        let gits: GITSResult?
    }

    func validate() throws {
        guard SamplerName(rawValue: sampler) != nil else { throw ValidationError("unknown sampler '\(sampler)'") }
        guard SamplerName(rawValue: teacherSampler) != nil else { throw ValidationError("unknown sampler '\(teacherSampler)'") }
        guard PerturbedDenoiser<EmpiricalDenoiser<Double>>.Kind(rawValue: perturbation) != nil else {
            throw ValidationError("--perturbation must be constant or noise_scaled")
        }
        guard sigmaMin > 0 && sigmaMin < sigmaMax && sigmaMax.isFinite else {
            throw ValidationError("need 0 < --sigma-min < --sigma-max (got \(sigmaMin), \(sigmaMax))")
        }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        let steps: [Int] = try parseList(stepsList, option: "--steps-list")
        guard steps.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--steps-list needs step counts ≥ 1") }
        let sizes: [Double] = try parseList(deltas, option: "--deltas")
        guard sizes.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ValidationError("--deltas must be finite and ≥ 0") }
        if let k = gitsSteps {
            guard k >= 1 && k < teacherSteps else {
                throw ValidationError("--gits-steps must lie in 1…\(teacherSteps - 1) (below --teacher-steps)")
            }
        }
        guard coefficient > 0 && coefficient.isFinite else { throw ValidationError("--coefficient must be positive") }
    }

    func run() throws {
        let denoiser = try model.makeDenoiser(as: Double.self)
        let labelled = try schedules.split(separator: ",").map { name -> LabelledSchedule in
            let text = name.trimmingCharacters(in: .whitespaces)
            let parsed = try ScheduleName(parsing: text)
            guard parsed != .explicit else { throw CLIError("--schedules takes named families, not 'file'") }
            return LabelledSchedule(text, try kind(parsed))
        }
        guard let samplerName = SamplerName(rawValue: sampler), let teacherName = SamplerName(rawValue: teacherSampler) else {
            throw CLIError("unknown sampler")
        }
        let starts = CounterNormalRNG(seed: seed).normals(rows: count, columns: denoiser.dimension, draw: 0, as: Double.self)
        let study = try studyErrors(denoiser, samplerName, labelled, try parseList(stepsList, option: "--steps-list"),
                                    try parseList(deltas, option: "--deltas"), perturbation, starts)
        let gits = try gitsSteps.map { k in try searchGITS(denoiser, steps: k, teacher: teacherName, sampler: samplerName, starts: starts) }
        try writeSVG(errorPlot(study), to: svg)
        if let gits, let svg { try gitsPlot(gits).writeSVG(to: URL(fileURLWithPath: Self.gitsPath(svg))) }
        try writeJSON(Output(study: study, gits: gits), to: json)

        print("\(sampler): RMS error per coordinate against rk45 (rtol 1e-10) of the unperturbed PF-ODE, \(count) samples, d = \(denoiser.dimension)")
        let steps = study.curves.first?.steps ?? []
        printTable(header: ["schedule", "δ"] + steps.map { "N = \($0)" },
                   rows: study.curves.map { [$0.schedule, format($0.delta)] + $0.error.map(format) })
        for c in study.crossovers {
            print("δ = \(format(c.delta)): \(c.first) and \(c.second) cross at N ≈ \(format(c.steps)); \(c.betterAbove) is better above")
        }
        if let gits {
            print("GITS (\(teacherSampler) teacher on \(teacherSteps) Karras steps, coefficient \(format(coefficient))), cost \(format(gits.schedule.cost)):")
            print("  σ = [" + gits.schedule.sigmas.map(format).joined(separator: ", ") + "]")
            print("  Karras ρ = \(format(rho)): [" + gits.karrasSigmas.map(format).joined(separator: ", ") + "]")
            for curve in gits.comparison.curves { print("  error with \(curve.schedule): \(format(curve.error[0]))") }
        }
    }

    private func kind(_ name: ScheduleName) throws -> ScheduleKind {
        try ScheduleKind(name: name, parameters: ScheduleParameters(sigmaMin: sigmaMin, sigmaMax: sigmaMax, rho: rho))
    }

    private func studyErrors<D: Denoiser>(_ denoiser: D, _ sampler: SamplerName, _ schedules: [LabelledSchedule], _ steps: [Int],
                                          _ deltas: [Double], _ perturbation: String,
                                          _ starts: Matrix<D.Scalar>) throws -> ScheduleErrorStudy {
        guard let perturbation = PerturbedDenoiser<D>.Kind(rawValue: perturbation) else {
            throw CLIError("--perturbation must be constant or noise_scaled")
        }
        return try ScheduleErrorStudy(denoiser: denoiser, sampler: sampler, schedules: schedules, steps: steps, deltas: deltas,
                                      perturbation: perturbation, seed: seed, starts: starts)
    }

    private func searchGITS<D: Denoiser>(_ denoiser: D, steps k: Int, teacher: SamplerName, sampler: SamplerName,
                                         starts: Matrix<D.Scalar>) throws -> GITSResult where D.Scalar == Double {
        let grid = try kind(.karras).schedule(steps: teacherSteps, as: Double.self).sigmas
        var noise = try PerSampleNoiseSource<Double>(seed: seed, firstDraw: 1)
        let record = try teacher.record(denoiser, from: starts * sigmaMax, sigmas: grid, noise: &noise)
        let schedule = try GITSSchedule(teacher: record, steps: k, coefficient: coefficient)
        // GITS's K jumps end at σ_min and the final step to 0 follows: K + 1 positive σ, as Karras with K + 1 steps.
        let karras = try kind(.karras).schedule(steps: k + 1, as: Double.self).sigmas
        let comparison = try studyErrors(denoiser, sampler, [LabelledSchedule("gits", .explicit(sigmas: schedule.sigmas)),
                                                              LabelledSchedule("karras", .explicit(sigmas: karras))],
                                         [k + 1], [0], "constant", starts)
        return GITSResult(schedule: schedule, karrasSigmas: karras, comparison: comparison)
    }

    private func errorPlot(_ study: ScheduleErrorStudy) -> PlotSpec {
        let several = Set(study.curves.map(\.delta)).count > 1
        return PlotSpec(
            title: "\(sampler): sampling error against the number of steps", xLabel: "N (steps)",
            yLabel: "RMS error per coordinate", xScale: .log, yScale: .log,
            series: study.curves.map { c in
                .init(label: several ? "\(c.schedule), δ = \(format(c.delta))" : c.schedule,
                      x: c.steps.map(Double.init), y: c.error, style: .linePoints)
            },
            markers: distinctCrossovers(study.crossovers).map {
                .init(axis: .x, value: $0.steps, label: "\($0.first)/\($0.second) δ = \(format($0.delta))")
            })
    }

    /// One crossover per crossing point (to 0.1 %): identical schedules (e.g. exponential and
    /// log-SNR in VE) or several δ crossing together would print their labels over each other.
    private func distinctCrossovers(_ all: [ScheduleCrossover]) -> [ScheduleCrossover] {
        all.reduce(into: []) { kept, c in
            if !kept.contains(where: { abs($0.steps / c.steps - 1) < 1e-3 }) { kept.append(c) }
        }
    }

    private func gitsPlot(_ gits: GITSResult) -> PlotSpec {
        func series(_ label: String, _ sigmas: [Double]) -> PlotSpec.Series {
            let positive = sigmas.filter { $0 > 0 }
            return .init(label: label, x: positive.indices.map(Double.init), y: positive, style: .linePoints)
        }
        return PlotSpec(title: "GITS schedule (\(gits.schedule.indices.count - 1) steps) and Karras ρ = \(format(rho))",
                        xLabel: "step index", yLabel: "σ", yScale: .log,
                        series: [series("GITS", gits.schedule.sigmas), series("Karras (as many σ > 0)", gits.karrasSigmas)])
    }

    /// `out.svg` → `out-gits.svg`.
    static func gitsPath(_ path: String) -> String {
        path.hasSuffix(".svg") ? String(path.dropLast(4)) + "-gits.svg" : path + "-gits.svg"
    }
}
