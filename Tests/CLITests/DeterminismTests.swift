import Foundation
import Testing
import ScoreKit

/// The same command gives the same bits (issue 9, determinism): across runs, across thread counts
/// and across batch splits, for sampling and for training.
///
/// Threads: ScoreKit spreads fixed pieces of work (network blocks of `RowBlocks.size` rows, the
/// empirical denoiser's two halves) over its threads with BLAS single-threaded, so the arithmetic
/// does not depend on the thread count. "1 thread" runs with `SCOREKIT_NUM_THREADS=1` pinned to
/// one CPU (`taskset -c 0`, where available); "2 threads" with `SCOREKIT_NUM_THREADS=2` on every
/// CPU. `OPENBLAS_NUM_THREADS` is set to the same count: ScoreKit must override it. Batch splits:
/// `--shard k/n` runs the rows of one part as a smaller batch, and the parts concatenated must
/// equal the whole run.
@Suite("Determinism across runs, threads and batch splits")
struct DeterminismTests {
    static let taskset = "/usr/bin/taskset"

    /// `scorekit ARGS` with BLAS on `threads` threads (1 also pins the process to one CPU).
    static func process(_ arguments: [String], threads: Int) -> ScorekitProcess {
        var process = ScorekitProcess(arguments: arguments, environment: ["SCOREKIT_NUM_THREADS": "\(threads)", "OPENBLAS_NUM_THREADS": "\(threads)"])
        if threads == 1 && FileManager.default.isExecutableFile(atPath: taskset) { process.launcher = [taskset, "-c", "0"] }
        return process
    }

    /// Runs `arguments --out FILE` and returns the file's bytes.
    static func output(_ arguments: [String], threads: Int, file: URL, logs: URL) throws -> Data {
        let outcome = try process(arguments + ["--out", file.path], threads: threads).run(loggingTo: logs)
        try #require(outcome.succeeded, "\(outcome.standardError)")
        return try Data(contentsOf: file)
    }

    /// How many values of the whole run (`whole`, its `.npy` file) the rows of 3 shards (run with
    /// 2 threads), concatenated, do not reproduce bit for bit; nil if the counts differ. Float →
    /// Double is exact, so equal Double bits mean equal Float bits.
    static func valuesShardsChange(_ arguments: [String], whole: URL, folder: URL, logs: URL) throws -> Int? {
        var bits: [UInt64] = []
        for k in 0..<3 {
            let file = folder.appendingPathComponent("shard-\(k).npy")
            _ = try output(arguments + ["--shard", "\(k)/3"], threads: 2, file: file, logs: logs)
            bits += try NPY.read(contentsOf: file).scalars(as: Double.self).map(\.bitPattern)
        }
        let wholeBits = try NPY.read(contentsOf: whole).scalars(as: Double.self).map(\.bitPattern)
        return bits.count == wholeBits.count ? zip(bits, wholeBits).filter { $0 != $1 }.count : nil
    }

    static func expectSame(_ a: Data, _ b: Data, _ what: String) {
        let same = a == b  // not inside #expect: its diff of two large Data values takes minutes
        #expect(same, "\(what) differ (\(a.count) and \(b.count) bytes)")
    }

    /// The empirical denoiser of 8,192 ring8 points on 192 samples: the whole batch streams the
    /// training set's halves on two threads (B·N·(d+4) ≥ 2²³), each shard (128 and 64 rows) on one. A
    /// stochastic sampler, so the per-sample noise is part of what must not move.
    @Test("sample (empirical, euler_ancestral): bit-identical across runs, 1/2 threads and shards",
          arguments: ["float32", "float64"])
    func empiricalSampling(precision: String) throws {
        let (folder, logs) = (try scratchFolder("determinism"), try scratchFolder("determinism-logs"))
        defer { for url in [folder, logs] { try? FileManager.default.removeItem(at: url) } }
        let arguments = ["sample", "--denoiser", "empirical", "--data", "ring8", "--data-count", "8192",
                         "--sampler", "euler_ancestral", "--steps", "3", "--count", "192", "--seed", "21",
                         "--precision", precision, "--quiet"]
        let (whole, again) = (folder.appendingPathComponent("whole.npy"), folder.appendingPathComponent("again.npy"))
        let first = try Self.output(arguments, threads: 2, file: whole, logs: logs)
        Self.expectSame(first, try Self.output(arguments, threads: 2, file: again, logs: logs), "two runs")
        Self.expectSame(first, try Self.output(arguments, threads: 1, file: again, logs: logs), "1 and 2 threads")
        let changed = try Self.valuesShardsChange(arguments, whole: whole, folder: folder, logs: logs)
        #expect(changed == 0, "the shards differ from the whole run in \(changed.map(String.init) ?? "the number of") values")
    }

    /// Training writes the same checkpoint (weights, EMA, optimizer state, metadata) and metrics
    /// run after run and with 1 and 2 threads, in either precision; sampling that network likewise,
    /// and its shards concatenate to the whole run. The batch of 256 is two blocks, so 2 threads
    /// do split the work; 400 samples are three blocks and a padded one, in shards of 128, 128, 144.
    @Test("train and sample a checkpoint: bit-identical across runs, 1/2 threads and shards")
    func training() throws {
        let (folder, logs) = (try scratchFolder("determinism"), try scratchFolder("determinism-logs"))
        defer { for url in [folder, logs] { try? FileManager.default.removeItem(at: url) } }
        func train(_ precision: String, threads: Int) throws -> Data {
            let out = folder.appendingPathComponent("train-\(precision)-\(threads)")
            let arguments = ["train", "--data", "ring8", "--data-count", "512", "--width", "64", "--depth", "2",
                             "--batch", "256", "--steps", "2", "--log-every", "1", "--seed", "5", "--precision", precision]
            let outcome = try Self.process(arguments + ["--out", out.path], threads: threads).run(loggingTo: logs)
            try #require(outcome.succeeded, "\(outcome.standardError)")
            return try ["checkpoint.safetensors", "metrics.jsonl"].reduce(Data()) { $0 + (try Data(contentsOf: out.appendingPathComponent($1))) }
        }
        let float = try train("float32", threads: 2)
        Self.expectSame(float, try train("float32", threads: 2), "two float32 trainings (checkpoint and metrics)")
        Self.expectSame(float, try train("float32", threads: 1), "float32 trainings with 1 and 2 threads")
        Self.expectSame(try train("float64", threads: 1), try train("float64", threads: 2),
                        "float64 trainings with 1 and 2 threads (checkpoint and metrics)")

        let checkpoint = folder.appendingPathComponent("train-float32-2/checkpoint.safetensors")
        for precision in ["float32", "float64"] {
            let arguments = ["sample", "--denoiser", "checkpoint", "--checkpoint", checkpoint.path, "--sampler", "heun",
                             "--steps", "2", "--count", "400", "--seed", "3", "--precision", precision, "--quiet"]
            let (whole, again) = (folder.appendingPathComponent("whole.npy"), folder.appendingPathComponent("again.npy"))
            let first = try Self.output(arguments, threads: 2, file: whole, logs: logs)
            Self.expectSame(first, try Self.output(arguments, threads: 2, file: again, logs: logs), "two \(precision) runs")
            Self.expectSame(first, try Self.output(arguments, threads: 1, file: again, logs: logs),
                            "\(precision) samples with 1 and 2 threads")
            let changed = try Self.valuesShardsChange(arguments, whole: whole, folder: folder, logs: logs)
            #expect(changed == 0, "\(precision): the shards change \(changed.map(String.init) ?? "the number of") values")
        }
    }
}
