import Foundation
import ScoreKit

/// `scorekit eval`'s metrics on 10,000 × 64 float32 samples (project goal: the whole evaluation
/// under a second; MMD and energy distance ≥ 3× numpy, which scripts/bench_metrics.py times on the
/// same deterministic inputs: x = `filled(n, d, 1)`, y = 1.1 · `filled(n, d, 2)` + 0.05). Each row
/// carries the metric's value so that bench.py can check both sides computed the same thing.
func benchMetrics(n: Int = 10_000, d: Int = 64) throws {
    let x = filled(n, d, seed: 1), y = filled(n, d, seed: 2).map { 1.1 * $0 + 0.05 }
    let threads = 2
    let savedThreads = Parallelism.maximumThreads
    Parallelism.maximumThreads = threads
    defer { Parallelism.maximumThreads = savedThreads }
    var mmd = 0.0, energy = 0.0
    var report: MetricsReport?
    let tMMD = try measure(repeats: 3) { mmd = try Metrics.maximumMeanDiscrepancy(x, y).value }
    emit("mmd \(n)x\(d)", group: "metrics", seconds: tMMD, threads: threads, extra: ["value": mmd])
    let tEnergy = try measure(repeats: 3) { energy = try Metrics.energyDistance(x, y) }
    emit("energy distance \(n)x\(d)", group: "metrics", seconds: tEnergy, threads: threads, extra: ["value": energy])
    let tEval = try measure(repeats: 3) { report = try MetricsReport.evaluate(samples: x, reference: y) }
    emit("eval (all metrics) \(n)x\(d)", group: "metrics", seconds: tEval, threads: threads,
         extra: ["value": report?.mmd ?? .nan])
}
