import Foundation
import ScoreKit

/// The step loop of `scorekit train` and `scorekit demo`: the mean training loss every `logEvery`
/// steps and the held-out evaluation every `evalEvery` steps and at the end go into `curve`;
/// each evaluation is also printed as one line on standard error, under the progress bar.
struct TrainingLoop<S: MatrixScalar> {
    var trainer: Trainer<S>
    let monitor: HeldOutMonitor<S>?
    let logEvery: Int
    /// 0: evaluate only at the end.
    let evalEvery: Int
    var curve: LossCurve
    /// The mean loss of the last logged window.
    private(set) var lastLoss: Double?
    /// The last held-out evaluation.
    private(set) var lastEvaluation: LossCurve.Point?

    init(trainer: Trainer<S>, monitor: HeldOutMonitor<S>?, logEvery: Int, evalEvery: Int, curve: LossCurve = LossCurve()) {
        (self.trainer, self.monitor, self.logEvery, self.evalEvery, self.curve) = (trainer, monitor, logEvery, evalEvery, curve)
    }

    /// Trains to the configured end. After each logged window `logged(report, meanLoss)`; after each
    /// evaluation `evaluated(point, heldOutBuckets)`; then, last for every step,
    /// `stepped(report, trainer, curve, trainingBuckets)` (the training batches' per-σ losses since
    /// the caller last reset them), where a caller may checkpoint; at the end
    /// `finished(step, trainingBuckets)` after the final evaluation.
    mutating func run(
        label: String, quiet: Bool,
        stepped: (StepReport, Trainer<S>, LossCurve, inout BucketLosses) throws -> Void = { _, _, _, _ in },
        logged: (StepReport, Double) throws -> Void = { _, _ in },
        evaluated: (LossCurve.Point, BucketLosses) throws -> Void = { _, _ in },
        finished: (_ step: Int, BucketLosses) throws -> Void = { _, _ in }
    ) throws {
        let total = trainer.configuration.steps
        let bar = quiet ? nil : ProgressBar(label, total: max(total - trainer.step, 1))
        var window = [Double]()
        var buckets = BucketLosses(buckets: trainer.configuration.buckets)
        while trainer.step < total {
            let report = try trainer.trainStep(buckets: &buckets)
            window.append(report.loss)
            if report.step % logEvery == 0 || report.step == total {
                let mean = window.reduce(0, +) / Double(window.count)
                window.removeAll()
                lastLoss = mean
                curve.record(LossCurve.Point(step: report.step, loss: mean))
                try logged(report, mean)
            }
            // The evaluation reads the EMA weights and fixed noise only, so it may run before
            // `stepped` (which may checkpoint): a step's records then always precede its checkpoint.
            if evalEvery > 0 && report.step % evalEvery == 0 && report.step < total { try evaluate(quiet: quiet, evaluated) }
            try stepped(report, trainer, curve, &buckets)
            bar?.advance()
        }
        bar?.finish()
        try evaluate(quiet: quiet, evaluated)
        try finished(trainer.step, buckets)
    }

    private mutating func evaluate(quiet: Bool, _ evaluated: (LossCurve.Point, BucketLosses) throws -> Void) throws {
        guard let monitor else { return }
        let (point, buckets) = try monitor.evaluate(trainer)
        curve.record(point)
        lastEvaluation = point
        if !quiet {
            let loss = lastLoss.map { String(format: "%.4f", $0) } ?? "–"
            let line = "step \(point.step)/\(trainer.configuration.steps)  loss \(loss)  "
                + String(format: "held-out %.4f  train (same σ and noise) %.4f", point.heldOutLoss, point.trainEvalLoss)
            let onTerminal = isatty(STDERR_FILENO) != 0  // clear the progress bar's line first
            FileHandle.standardError.write(Data(((onTerminal ? "\r" + line + "\u{1B}[K" : line) + "\n").utf8))
        }
        try evaluated(point, buckets)
    }
}
