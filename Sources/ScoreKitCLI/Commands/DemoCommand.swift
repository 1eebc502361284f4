import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit demo`: the main job on bundled data — train small EDM denoisers on the 2-D ring of
/// 8 Gaussians and on the 8×8 digits, sample them with three samplers next to the exact
/// (memorising) empirical denoiser, write the pictures and `OUT/index.html`, then run a quick
/// subset of `scorekit reproduce` into `OUT/reproduce/`.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train small diffusion models on a 2-D ring and on the bundled 8×8 digits, sample them, compare them with the exact denoiser, and reproduce a few paper claims.")

    @Option(help: "Output folder.")
    var out: String = "out/demo"

    @Option(name: .customLong("train-steps"), help: "Training steps of each model (Adam, batch 256).")
    var trainSteps: Int = 2000

    @Option(help: "Samples drawn per model and sampler (the image grids show the first 100).")
    var samples: Int = 500

    @Option(help: "Seed of the data split, the weights, the data order, the training noise and the sampling noise.")
    var seed: UInt64 = 0

    @Option(help: "Claims of `scorekit reproduce --quick` to run at the end (comma-separated ids), or `none`.")
    var reproduce: String = "K1,C1,C3,T3,W1"

    @Option(name: .customLong("eval-rows"), help: ArgumentHelp("Held-out rows per evaluation (at 16 σ levels each).", visibility: .hidden))
    var evalRows = 256

    @Flag(help: "No progress bars.")
    var quiet = false

    func validate() throws {
        guard trainSteps >= 1 else { throw ValidationError("--train-steps must be at least 1") }
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2") }
        guard evalRows >= 1 else { throw ValidationError("--eval-rows must be at least 1") }
        for id in claims { _ = try ExperimentRegistry.experiment(id) }
    }

    private var claims: [String] {
        reproduce.lowercased() == "none" ? [] : reproduce.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let started = Date()
        print("ScoreKit \(ScoreKitVersion.string): BLAS \(NumericsBackend.blasCore), kernels \(NumericsBackend.kernelISA), \(Parallelism.maximumThreads) threads")

        // 1. The ring: 1,000 points of 8 Gaussians (std 0.1) on a circle of radius 2; σ_data ≈ 1.4 per coordinate.
        let ringData = ToyDataset.ring8.sample(count: 1000, seed: seed, as: Float.self)
        let ringReference = ToyDataset.ring8.sample(count: 2000, seed: seed &+ 1, as: Float.self)
        print("ring8: 1000 points of a ring of 8 Gaussians in 2-D")
        let ring = try DemoRun(name: "ring8", data: ringData, reference: ringReference,
                               configuration: try configuration(dimension: 2, width: 128, sigmaData: 1.4), sampleCount: samples,
                               evalRows: evalRows, quiet: quiet)
        report(ring)

        // 2. The digits, in [-1, 1]; σ_data 0.5 as in EDM.
        let digitData = try Digits<Float>.load().images
        print("digits: \(digitData.rows) digits of 8×8 pixels in [-1, 1] (scikit-learn's copy of the UCI digits)")
        let digits = try DemoRun(name: "digits", data: digitData, reference: digitData,
                                 configuration: try configuration(dimension: 64, width: 256, sigmaData: 0.5), sampleCount: samples,
                                 evalRows: evalRows, quiet: quiet)
        report(digits)
        print("The exact denoiser of the training set only reproduces training points (memorised ≈ 1, NN distance ≈ 0);")
        print("the trained networks generalise: new points on the data distribution, at a nonzero distance from the training set.")
        let demoSeconds = Date().timeIntervalSince(started)

        // 3. Files: the EMA models, samples, PNG grids, scatter plots, loss curves and the page.
        try writeFiles(ring: ring, digits: digits, to: folder)
        let reportPath = claims.isEmpty ? nil : "reproduce/report.html"
        let page = DemoPage(ring: ring, digits: digits, seconds: demoSeconds, reproduceReport: reportPath).render()
        let pageURL = folder.appendingPathComponent("index.html")
        try AtomicFile.write(Data(page.utf8), to: pageURL)
        print("wrote \(pageURL.path) (loss curves, samples, comparison) and the pictures, samples and models next to it")

        // 4. A quick subset of the paper claims, through `scorekit reproduce` itself.
        if !claims.isEmpty {
            print("reproducing \(claims.joined(separator: ", ")) (quick sizes; `scorekit reproduce all --quick` runs every claim):")
            let reproduceFolder = folder.appendingPathComponent("reproduce").path
            try ReproduceCommand.parse([claims.joined(separator: ","), "--quick", "--seed", String(seed),
                                        "--out", reproduceFolder]).run()
        }
        print("demo page: \(pageURL.path)")
        if let reportPath { print("claims report: \(folder.appendingPathComponent(reportPath).path)") }
        let heun = DemoRun.samplers[0].name.rawValue
        func metric(_ run: DemoRun, _ model: String, _ value: (MetricsReport) -> Double?) -> Double {
            run.samples(model: model, sampler: heun).flatMap { value($0.metrics) } ?? .nan
        }
        try printJSONLine(["out": folder.path, "page": pageURL.path, "train_steps": trainSteps,
                           "final_loss": digits.curve.points.last { $0.loss.isFinite }?.loss ?? .nan,
                           "heldout_loss": digits.curve.points.last { $0.heldOutLoss.isFinite }?.heldOutLoss ?? .nan,
                           "mmd_trained": metric(digits, DemoRun.trainedName) { $0.mmd },
                           "mmd_exact": metric(digits, DemoRun.exactName) { $0.mmd },
                           "memorization_trained": metric(digits, DemoRun.trainedName) { $0.memorization },
                           "memorization_exact": metric(digits, DemoRun.exactName) { $0.memorization },
                           "ring8_mmd_trained": metric(ring, DemoRun.trainedName) { $0.mmd },
                           "ring8_memorization_trained": metric(ring, DemoRun.trainedName) { $0.memorization },
                           "ring8_memorization_exact": metric(ring, DemoRun.exactName) { $0.memorization },
                           "demo_seconds": demoSeconds, "seconds": Date().timeIntervalSince(started)])
    }

    /// EDM's recipe on a residual MLP with FiLM: log-normal σ, λ = 1/c_out², Adam with warm-up and
    /// cosine decay, EMA 0.998.
    private func configuration(dimension: Int, width: Int, sigmaData: Double) throws -> TrainingConfiguration {
        TrainingConfiguration(
            model: MLPDenoiserNetConfiguration(dataDimension: dimension, width: width, depth: 3),
            parameterization: .preconditioned(.edm(sigmaData: sigmaData)), weighting: .edm(sigmaData: sigmaData),
            steps: trainSteps,
            learningRate: try LearningRateSchedule(base: 1e-3, warmupSteps: min(100, trainSteps / 10),
                                                   decay: .cosine(totalSteps: trainSteps, minimum: 1e-5)),
            emaDecay: 0.998, seed: seed)
    }

    private func report(_ run: DemoRun) {
        let last = run.curve.points.last { $0.heldOutLoss.isFinite }
        print(String(format: "trained %d steps in %.1f s; at fixed σ and noise the EMA model's loss is %.4f on held-out rows, %.4f on training rows",
                     run.trainer.step, run.trainSeconds, last?.heldOutLoss ?? .nan, last?.trainEvalLoss ?? .nan))
        printTable(header: DemoRun.tableHeader, rows: run.tableRows)
    }

    private func writeFiles(ring: DemoRun, digits: DemoRun, to folder: URL) throws {
        for run in [ring, digits] {
            try run.trainer.modelFile.write(to: folder.appendingPathComponent("\(run.name)_model.safetensors"))
            try run.curve.write(to: folder.appendingPathComponent("\(run.name)_log.csv"))
            for s in run.samples {
                try NPY.write(s.x, to: folder.appendingPathComponent("\(run.name)_\(DemoRun.fileName(model: s.model, sampler: s.sampler)).npy"))
            }
        }
        // The digits' checkpoint (to resume or sample with `scorekit sample --denoiser checkpoint`) and grids.
        try digits.trainer.checkpoint.write(to: folder.appendingPathComponent("checkpoint.safetensors"))
        func grid(_ x: Matrix<Float>, _ name: String) throws {
            try PNG.writeGrid(x.rows(0..<min(100, x.rows)), imageHeight: 8, imageWidth: 8, columns: 10, padding: 1,
                              to: folder.appendingPathComponent(name))
        }
        try grid(digits.training, "training.png")
        for s in digits.samples {
            try grid(s.x, "samples_\(DemoRun.fileName(model: s.model, sampler: s.sampler)).png")
        }
        // The Heun grids also under the names of the first demo (samples_trained.png, samples_exact.png).
        for model in [DemoRun.trainedName, DemoRun.exactName] {
            if let s = digits.samples(model: model, sampler: DemoRun.samplers[0].name.rawValue) {
                try grid(s.x, model == DemoRun.trainedName ? "samples_trained.png" : "samples_exact.png")
            }
        }
        // Scatter plots of the ring as standalone SVG files, drawn by the report's renderer.
        for (name, figure) in DemoPage.scatterPlots(ring) {
            try AtomicFile.write(Data(ReportParts.svg(figure, id: name).utf8), to: folder.appendingPathComponent("ring8_\(name).svg"))
        }
    }
}
