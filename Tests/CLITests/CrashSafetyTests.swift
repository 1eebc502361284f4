import Foundation
import Testing
import ScoreKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `scorekit train` killed with SIGKILL again and again, then resumed (issue 9, crash safety).
///
/// A tiny run (ring8, width 32, depth 2, batch 64) writes its checkpoint after every step, so the
/// kills land in every phase: start-up (reading the checkpoint, trimming `metrics.jsonl`, writing
/// `config.json`), optimizer steps, and checkpoint writes. Half of the kills wait for
/// `AtomicFile`'s temporary checkpoint (`.checkpoint.safetensors.UUID.tmp`) to appear and strike
/// during its write, fsync or rename; the other half strike at a random time after start. The
/// kill moments come from a seeded generator, so a failure replays the same schedule (up to the
/// machine's timing).
@Suite("Crash safety: SIGKILL and resume", .serialized)
struct CrashSafetyTests {
    static let steps = 120
    static let checkpointName = "checkpoint.safetensors"

    static func trainArguments(out: URL) -> [String] {
        ["train", "--data", "ring8", "--data-count", "256", "--width", "32", "--depth", "2", "--batch", "64",
         "--steps", "\(steps)", "--log-every", "1", "--checkpoint-every", "1", "--seed", "11", "--out", out.path]
    }

    /// Where each kill strikes.
    enum Moment {
        /// `delay` seconds after the process started.
        case afterStart(delay: Double)
        /// `delay` seconds after the `count`-th temporary checkpoint of this process appeared.
        case inCheckpointWrite(count: Int, delay: Double)
    }

    @Test("after each of 50 kills the checkpoint loads; the resumed run equals an uninterrupted one bit for bit")
    func fiftyKillsThenResume() throws {
        try killAndResume(kills: 50, seed: 2026)
    }

    func killAndResume(kills: Int, seed: UInt64) throws {
        let root = try scratchFolder("crash")
        defer { try? FileManager.default.removeItem(at: root) }
        let reference = root.appendingPathComponent("reference"), killed = root.appendingPathComponent("killed")
        let logs = root.appendingPathComponent("logs")
        for folder in [reference, killed, logs] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        // The uninterrupted run, timed: how long start-up takes (until the first step is logged)
        // and how long one step takes, to spread the timed kills over both.
        let clock = ContinuousClock()
        let began = clock.now
        let uninterrupted = try ScorekitProcess(arguments: Self.trainArguments(out: reference)).start(loggingTo: logs)
        let metrics = reference.appendingPathComponent("metrics.jsonl")
        while uninterrupted.isRunning && ((try? FileManager.default.attributesOfItem(atPath: metrics.path)[.size] as? Int) ?? 0) == 0 {
            usleep(100)
        }
        let startup = (clock.now - began).seconds
        let outcome = try uninterrupted.wait()
        try #require(outcome.succeeded, "uninterrupted run failed: \(outcome.standardError)")
        let step = max((clock.now - began).seconds - startup, 0) / Double(Self.steps)

        var generator = PhiloxGenerator(seed: seed)
        var lastStep = 0, killsInWrites = 0, strays = Set<String>()
        for round in 1...kills {
            let checkpoint = killed.appendingPathComponent(Self.checkpointName)
            let resuming = FileManager.default.fileExists(atPath: checkpoint.path)
            let process = try ScorekitProcess(arguments: Self.trainArguments(out: killed) + (resuming ? ["--resume"] : []))
                .start(loggingTo: logs)
            let started = clock.now
            let moment: Moment = Bool.random(using: &generator)
                ? .afterStart(delay: Double.random(in: 0..<(startup + 2 * step), using: &generator))
                : .inCheckpointWrite(count: Int.random(in: 1...2, using: &generator),
                                     delay: Double.random(in: 0..<0.002, using: &generator))
            switch moment {
            case .afterStart(let delay):
                sleep(seconds: delay - (clock.now - started).seconds)
            case .inCheckpointWrite(let count, let delay):
                try waitForTemporaryCheckpoints(count, in: killed, of: process, deadline: 60)
                sleep(seconds: delay)
            }
            process.send(SIGKILL)
            let ended = try process.wait()
            try #require(ended.wasSignalled && ended.status == SIGKILL,
                         "kill \(round): the run was not killed but ended with \(ended.status): \(ended.standardError)")

            // What a kill may leave: the previous complete checkpoint (or none before the first) and
            // temporary files, which are never the checkpoint itself.
            let temporaries = try atomicTemporaries(in: killed).filter { $0.hasPrefix("." + Self.checkpointName + ".") }
            if !Set(temporaries).subtracting(strays).isEmpty { killsInWrites += 1 }
            strays.formUnion(temporaries)
            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                #expect(lastStep == 0, "kill \(round): the checkpoint of step \(lastStep) disappeared")
                continue
            }
            let loaded = try Checkpoint<Float>.read(from: checkpoint)
            #expect(loaded.step >= lastStep && loaded.step < Self.steps, "kill \(round): checkpoint step \(loaded.step) after \(lastStep)")
            lastStep = loaded.step
        }
        // The kills reached into the run and into checkpoint writes (temporary files left behind).
        #expect(lastStep > 0)
        #expect(killsInWrites > 0)

        let finish = try ScorekitProcess(arguments: Self.trainArguments(out: killed) + ["--resume"]).run(loggingTo: logs)
        try #require(finish.succeeded, "final resume failed: \(finish.standardError)")
        // The resume removed what the killed writes left behind.
        #expect(try atomicTemporaries(in: killed).isEmpty)

        // Bit for bit: weights, EMA, optimizer state and metadata; every logged per-step loss,
        // gradient norm and learning rate; the configuration.
        let expected = try Checkpoint<Float>.read(from: reference.appendingPathComponent(Self.checkpointName))
        let resumed = try Checkpoint<Float>.read(from: killed.appendingPathComponent(Self.checkpointName))
        #expect(resumed.step == Self.steps)
        #expect(resumed.weights == expected.weights)
        #expect(resumed.emaWeights == expected.emaWeights)
        #expect(resumed.optimizerState == expected.optimizerState)
        for name in [Self.checkpointName, "model.safetensors", "log.csv", "config.json"] {
            let same = try Data(contentsOf: reference.appendingPathComponent(name)) == Data(contentsOf: killed.appendingPathComponent(name))
            #expect(same, "\(name) differs from the uninterrupted run's")
        }
        let lines = try metricsLines(in: killed), expectedLines = try metricsLines(in: reference)
        let firstDifference = zip(lines, expectedLines).prefix { $0 == $1 }.count
        #expect(lines == expectedLines,
                "metrics.jsonl: \(lines.count) lines, the uninterrupted run's \(expectedLines.count); line \(firstDifference + 1) differs")
        let losses = try stepLosses(in: killed), expectedLosses = try stepLosses(in: reference)
        #expect(losses.count == Self.steps && losses == expectedLosses)
    }

    /// Waits until `count` new temporary checkpoints have appeared in `folder` (or the process
    /// ended, or `deadline` seconds passed).
    func waitForTemporaryCheckpoints(_ count: Int, in folder: URL, of process: ScorekitProcess.Child, deadline: Double) throws {
        let clock = ContinuousClock(), end = clock.now + .seconds(deadline)
        var seen = Set<String>()
        let before = Set(try atomicTemporaries(in: folder))
        while process.isRunning && clock.now < end && seen.count < count {
            seen.formUnion(Set(try atomicTemporaries(in: folder).filter { $0.hasPrefix("." + Self.checkpointName + ".") })
                .subtracting(before))
            usleep(100)
        }
    }

    func metricsLines(in folder: URL) throws -> [Substring] {
        try String(contentsOf: folder.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
    }

    /// The per-step losses of `metrics.jsonl`, as written.
    func stepLosses(in folder: URL) throws -> [Double] {
        try metricsLines(in: folder).compactMap { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["type"] as? String == "step" ? object["loss"] as? Double : nil
        }
    }

    func sleep(seconds: Double) {
        if seconds > 0 { usleep(useconds_t(seconds * 1e6)) }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
