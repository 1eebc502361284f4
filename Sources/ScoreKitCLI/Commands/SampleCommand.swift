import ArgumentParser
import Foundation
import ScoreKit

/// How an ODE "sampler" treats the final step to σ = 0.
enum ODEFinal: String, ExpressibleByArgument, CaseIterable {
    case denoise, exact
}

/// `scorekit sample`: runs a sampler on an exact (or trained) denoiser (DESIGN.md command line).
struct SampleCommand: ParsableCommand, PrecisionGeneric {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw samples with any sampler; prints a JSON line with out, nfe, steps and seconds.",
        discussion: """
        The start state is Z · σ₀, with Z from --init or drawn per sample from --seed (draw 0 of each
        sample; stochastic samplers use draws 1, 2, … of the same samples), so a sample never depends on
        the batch it was drawn in. dpm_fast and dpm_adaptive run from σ₀ to the smallest nonzero σ.
        """)

    @OptionGroup var model: DenoiserOptions
    @OptionGroup var samplerFlags: SamplerFlags

    @Option(help: "Schedule: karras, exponential, polyexponential, vp, ve-geometric, edm, logsnr, ncsn or file.")
    var schedule: String = "karras"
    @OptionGroup var scheduleOptions: ScheduleOptions

    @Option(name: .customLong("init"), help: "Start noise Z (B × d standard normals, .npy); the start state is Z · σ₀.")
    var initFile: String?

    @Option(help: "Number of samples B when drawing the start noise from --seed.")
    var count: Int?

    @Option(help: "Seed of the per-sample start noise and of the stochastic samplers' draws.")
    var seed: UInt64 = 0

    @Option(help: "Produce only shard k of n (0-based): the k-th of n nearly equal runs of whole 128-row blocks.")
    var shard: Shard = .whole

    @Option(name: .customLong("step-noise"), help: "Replay the stochastic draws from a K × B × d .npy, in call order.")
    var stepNoise: String?

    @Option(name: .customLong("teleport-sigma"),
            help: "Skip the steps above this σ with the closed-form flow of a Gaussian fitted to --data.")
    var teleportSigma: Double?

    @Option(name: .customLong("ode-final"), help: "gaussian_closed's last step to σ = 0: denoise (D at the last σ) or exact (the flow to 0).")
    var odeFinal: ODEFinal = .denoise

    @Option(help: "float32 (default, fast) or float64 (parity with the reference runs).")
    var precision: Precision = .float32

    @Option(help: "Where to write the samples (.npy).")
    var out: String

    @Option(help: "Also record the trajectory (.npz with sigmas, x, denoised, nfe).")
    var trajectory: String?

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        switch (initFile, count) {
        case (nil, nil): throw ValidationError("give the start noise with --init Z.npy or --count B --seed S")
        case (.some, .some): throw ValidationError("--init and --count are alternatives; give one")
        case (nil, .some(let b)) where b < 1: throw ValidationError("--count must be at least 1")
        default: break
        }
        if let t = teleportSigma, !(t.isFinite && t > 0) { throw ValidationError("--teleport-sigma must be positive") }
    }

    func run() throws { try runInChosenPrecision() }

    func run<S: MatrixScalar>(as: S.Type) throws {
        if samplerFlags.sampler == SamplerFlags.gaussianClosedForm { return try runGaussianClosedForm(as: S.self) }
        let name = try samplerFlags.name
        let sigmas = try scheduleOptions.schedule(named: schedule, as: S.self).sigmas
        let denoiser = try model.makeDenoiser(as: S.self)
        var (z, rows) = try startNoise(dimension: denoiser.dimension, as: S.self)
        if z.rows == 0 { return try writeEmptyShard(z, steps: sigmas.count - 1, sampler: name.rawValue, rows: rows) }
        z *= sigmas[0]
        var noise = try noiseSource(for: name, sigmas: sigmas, rows: rows, columns: z.columns, as: S.self)
        let start = Date()
        let (samples, nfe, record) = try runSampler(denoiser, name: name, x: z, sigmas: sigmas, noise: &noise)
        try NPY.write(samples, to: URL(fileURLWithPath: out))
        if let trajectory, let record { try record.write(to: URL(fileURLWithPath: trajectory)) }
        try printJSONLine(["out": out, "nfe": nfe, "steps": sigmas.count - 1, "seconds": Date().timeIntervalSince(start),
                           "sampler": name.rawValue, "rows": samples.rows, "first_sample": rows.lowerBound])
    }

    /// `--sampler gaussian_closed`: the exact flow of the Gaussian fitted to `--data`.
    private func runGaussianClosedForm<S: MatrixScalar>(as: S.Type) throws {
        let sigmas = try scheduleOptions.schedule(named: schedule, as: S.self).sigmas
        let gaussian = try GaussianDenoiser(fitting: model.trainingData(as: S.self))
        var (z, rows) = try startNoise(dimension: gaussian.dimension, as: S.self)
        if z.rows == 0 { return try writeEmptyShard(z, steps: sigmas.count - 1, sampler: SamplerFlags.gaussianClosedForm, rows: rows) }
        z *= sigmas[0]
        let start = Date()
        let (samples, nfe) = try sampleGaussianClosedForm(gaussian, from: z, sigmas: sigmas, exactToZero: odeFinal == .exact)
        try NPY.write(samples, to: URL(fileURLWithPath: out))
        try printJSONLine(["out": out, "nfe": nfe, "steps": sigmas.count - 1, "seconds": Date().timeIntervalSince(start),
                           "sampler": SamplerFlags.gaussianClosedForm, "rows": samples.rows, "first_sample": rows.lowerBound])
    }

    /// A shard with no rows (more shards than 128-row blocks): an empty B = 0 output, no sampling.
    private func writeEmptyShard<S: MatrixScalar>(_ z: Matrix<S>, steps: Int, sampler: String, rows: Range<Int>) throws {
        try NPY.write(z, to: URL(fileURLWithPath: out))
        try printJSONLine(["out": out, "nfe": 0, "steps": steps, "seconds": 0, "sampler": sampler, "rows": 0,
                           "first_sample": rows.lowerBound])
    }

    /// Z for this shard's rows, and the global indices of those rows.
    private func startNoise<S: MatrixScalar>(dimension d: Int, as: S.Type) throws -> (Matrix<S>, Range<Int>) {
        if let initFile {
            let all = try NPY.readMatrix(contentsOf: URL(fileURLWithPath: initFile), as: S.self)
            guard all.columns == d else { throw CLIError("\(initFile): start noise has \(all.columns) columns, the data has \(d)") }
            guard all.isFinite else { throw CLIError("\(initFile): contains NaN or infinite values") }
            let rows = shard.rows(of: all.rows)
            return (all.rows(rows), rows)
        }
        let rows = shard.rows(of: count ?? 0)
        let z = CounterNormalRNG(seed: seed).normals(rows: rows.count, columns: d, firstSample: rows.lowerBound, draw: 0,
                                                     as: S.self)
        return (z, rows)
    }

    private func noiseSource<S: MatrixScalar>(for name: SamplerName, sigmas: [S], rows: Range<Int>, columns: Int,
                                              as: S.Type) throws -> any NoiseSource<S> {
        if let stepNoise {
            let array = try NPY.read(contentsOf: URL(fileURLWithPath: stepNoise))
            guard array.shape.count == 3, array.shape[2] == columns, array.shape[1] >= rows.upperBound else {
                throw CLIError("\(stepNoise): expected K × B × \(columns) draws covering rows \(rows), got shape \(array.shape)")
            }
            let (k, b) = (array.shape[0], array.shape[1])
            let all = array.scalars(as: S.self)
            var picked = [S]()
            picked.reserveCapacity(k * rows.count * columns)
            for draw in 0..<k {
                let base = (draw * b + rows.lowerBound) * columns
                picked.append(contentsOf: all[base..<(base + rows.count * columns)])
            }
            return try ReplayNoiseSource(values: picked, count: k, rows: rows.count, columns: columns)
        }
        let brownian = samplerFlags.noise == .brownian || (samplerFlags.noise == .auto && name.defaultsToBrownianTree)
        if brownian {
            let positive = sigmas.filter { $0 > 0 }
            return try BrownianTreeNoiseSource(seed: seed, sigmaMin: positive.min() ?? sigmas[0], sigmaMax: sigmas[0],
                                               firstSample: rows.lowerBound)
        }
        return try PerSampleNoiseSource(seed: seed, firstSample: rows.lowerBound, firstDraw: 1)
    }

    private func runSampler<D: Denoiser>(
        _ denoiser: D, name: SamplerName, x: Matrix<D.Scalar>, sigmas: [D.Scalar], noise: inout any NoiseSource<D.Scalar>
    ) throws -> (Matrix<D.Scalar>, Int, TrajectoryRecord<D.Scalar>?) {
        var x = x, sigmas = sigmas
        if let t = teleportSigma {
            let gaussian = try GaussianDenoiser(fitting: model.trainingData(as: D.Scalar.self))
            let jump = try Teleportation(gaussian: gaussian, sigmaSkip: D.Scalar(t)).apply(x, sigmas: sigmas)
            (x, sigmas) = (jump.x, jump.sigmas)  // the closed form costs no denoiser evaluation
        }
        let recorder = trajectory == nil ? nil : TrajectoryRecorder<D.Scalar>()
        let bar = quiet ? nil : ProgressBar("sampling \(name.rawValue)", total: max(sigmas.count - 1, 1))
        let sampling = SamplingModel(denoiser) { event in
            recorder?.observe(event)
            bar?.advance()
        }
        let result = try name.sample(sampling, from: x, sigmas: sigmas, options: samplerFlags.options(as: D.Scalar.self),
                                     noise: &noise)
        bar?.finish()
        let endSigma = name.endsAtSmallestSigma ? (sigmas.last { $0 > 0 } ?? 0) : (sigmas.last ?? 0)
        let record = try recorder?.finish(result, sigma: endSigma, nfe: sampling.nfe)
        return (result, sampling.nfe, record)
    }
}
