import Foundation
import Testing

/// Writing onto a full disk (issue 9): the command fails with one clear error line and a nonzero
/// exit, the file it would have replaced is left byte for byte as it was, and no temporary file
/// stays behind.
///
/// Two ways to run out of room without root: a file-size limit on the child (`prlimit --fsize`,
/// so its write fails with EFBIG — `scorekit` ignores SIGXFSZ for this), and a real full file
/// system: a 48 KiB tmpfs mounted in a private user and mount namespace (`unshare -rm`), where the
/// write fails with ENOSPC. The second runs only where the kernel allows such namespaces.
@Suite("Disk full: a failed write keeps the old file")
struct DiskFullTests {
    /// 2,000 two-dimensional float64 samples: a 32,128-byte `.npy`.
    static func sampleArguments(seed: Int, out: URL) -> [String] {
        ["sample", "--denoiser", "empirical", "--data", "ring8", "--data-count", "64", "--sampler", "euler",
         "--steps", "4", "--count", "2000", "--seed", "\(seed)", "--precision", "float64", "--quiet", "--out", out.path]
    }

    static let trainArguments = ["train", "--data", "ring8", "--data-count", "256", "--width", "32", "--depth", "2",
                                 "--batch", "64", "--log-every", "1"]

    static let prlimit = "/usr/bin/prlimit"
    /// Whether `scorekit` starts at all under a 4 KiB file-size limit: a ThreadSanitizer build's
    /// runtime does not (it dies of SIGBUS before `main`), so these tests cannot run there.
    static let hasPrlimit: Bool = {
        guard FileManager.default.isExecutableFile(atPath: prlimit), let logs = try? scratchFolder("probe") else { return false }
        defer { try? FileManager.default.removeItem(at: logs) }
        var probe = ScorekitProcess(arguments: ["--version"])
        probe.launcher = [prlimit, "--fsize=4096", "--"]
        return (try? probe.run(loggingTo: logs))?.succeeded ?? false
    }()

    /// Whether this kernel lets an unprivileged process mount a tmpfs in its own namespaces.
    static let hasPrivateTmpfs: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
              let folder = try? scratchFolder("probe") else { return false }
        defer { try? FileManager.default.removeItem(at: folder) }
        // Mounts a tmpfs in the namespaces, then runs `scorekit --version` as the child program.
        var probe = ScorekitProcess(arguments: ["--version"])
        probe.launcher = ["/usr/bin/unshare", "-rm", "/bin/sh", "-c", "mount -t tmpfs -o size=16k none \"$1\" && shift && \"$@\"",
                          "sh", folder.path]
        return (try? probe.run(loggingTo: folder))?.succeeded ?? false
    }()

    @Test("sample over the file-size limit: one error line, the old .npy intact", .enabled(if: hasPrlimit))
    func sampleOverTheFileSizeLimit() throws {
        let (folder, logs) = (try scratchFolder("full"), try scratchFolder("full-logs"))
        defer { for url in [folder, logs] { try? FileManager.default.removeItem(at: url) } }
        let out = folder.appendingPathComponent("samples.npy")
        try #require(try ScorekitProcess(arguments: Self.sampleArguments(seed: 1, out: out)).run(loggingTo: logs).succeeded)
        let old = try Data(contentsOf: out)

        var limited = ScorekitProcess(arguments: Self.sampleArguments(seed: 2, out: out))
        limited.launcher = [Self.prlimit, "--fsize=4096", "--"]
        let outcome = try limited.run(loggingTo: logs)
        try expectCleanFailure(outcome, writing: out, folder: folder, old: old)
    }

    @Test("a checkpoint over the file-size limit: one error line, the old checkpoint intact", .enabled(if: hasPrlimit))
    func checkpointOverTheFileSizeLimit() throws {
        let (folder, logs) = (try scratchFolder("full"), try scratchFolder("full-logs"))
        defer { for url in [folder, logs] { try? FileManager.default.removeItem(at: url) } }
        let checkpoint = folder.appendingPathComponent("checkpoint.safetensors")
        let first = try ScorekitProcess(arguments: Self.trainArguments + ["--steps", "3", "--out", folder.path]).run(loggingTo: logs)
        try #require(first.succeeded)
        let old = try Data(contentsOf: checkpoint)
        #expect(old.count > 65_536)

        // Resuming to step 5 trains, then cannot write the (150 KB) checkpoint under a 64 KiB limit.
        var limited = ScorekitProcess(arguments: Self.trainArguments + ["--steps", "5", "--resume", "--out", folder.path])
        limited.launcher = [Self.prlimit, "--fsize=65536", "--"]
        let outcome = try limited.run(loggingTo: logs)
        try expectCleanFailure(outcome, writing: checkpoint, folder: folder, old: old)
    }

    @Test("sample onto a full tmpfs (ENOSPC): one error line, the old .npy intact", .enabled(if: hasPrivateTmpfs))
    func sampleOntoAFullFileSystem() throws {
        let (mountPoint, saved, logs) = (try scratchFolder("tmpfs"), try scratchFolder("saved"), try scratchFolder("full-logs"))
        defer { for url in [mountPoint, saved, logs] { try? FileManager.default.removeItem(at: url) } }
        let original = saved.appendingPathComponent("original.npy")
        try #require(try ScorekitProcess(arguments: Self.sampleArguments(seed: 1, out: original)).run(loggingTo: logs).succeeded)
        let old = try Data(contentsOf: original)

        // In the namespace: mount 48 KiB, put the 32 KB file there, try to replace it (the new file
        // needs another 32 KB beside it), then save what the tmpfs holds before it disappears.
        let out = mountPoint.appendingPathComponent("samples.npy")
        let script = """
            m="$1"; source="$2"; save="$3"; shift 3
            mount -t tmpfs -o size=48k none "$m" && cp "$source" "$m/samples.npy" || exit 99
            "$@"; status=$?
            ls -A "$m" > "$save.listing"; cp "$m/samples.npy" "$save.npy"; exit $status
            """
        let save = saved.appendingPathComponent("after").path
        var full = ScorekitProcess(arguments: Self.sampleArguments(seed: 2, out: out))
        full.launcher = ["/usr/bin/unshare", "-rm", "/bin/sh", "-c", script, "sh", mountPoint.path, original.path, save]
        let outcome = try full.run(loggingTo: logs)
        #expect(outcome.status != 99, "could not prepare the tmpfs: \(outcome.standardError)")
        try expectOneErrorLine(outcome, naming: out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: save + ".npy")) == old)
        let listing = try String(contentsOfFile: save + ".listing", encoding: .utf8)
        #expect(listing.split(separator: "\n") == ["samples.npy"])
    }

    /// A failed write: exit ≠ 0 (not a signal), one error line naming the file, the old bytes, and
    /// nothing else in the folder.
    func expectCleanFailure(_ outcome: ScorekitProcess.Outcome, writing url: URL, folder: URL, old: Data) throws {
        try expectOneErrorLine(outcome, naming: url)
        let now = try Data(contentsOf: url)
        #expect(now == old, "\(url.lastPathComponent) changed (\(now.count) bytes, was \(old.count))")
        #expect(try atomicTemporaries(in: folder).isEmpty)
    }

    func expectOneErrorLine(_ outcome: ScorekitProcess.Outcome, naming url: URL) throws {
        #expect(!outcome.wasSignalled && outcome.status != 0, "ended with \(outcome.wasSignalled ? "signal" : "status") \(outcome.status)")
        // Progress lines may precede it; the error is one line, the last.
        let errors = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errors.count == 1, "\(outcome.standardError)")
        let line = try #require(errors.first)
        #expect(line.contains(url.path) && line.contains("cannot write"), "\(line)")
        #expect(outcome.standardError.hasSuffix(line + "\n"))
    }
}
