import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `scorekit` executable, run as a real child process: what tests of SIGKILL, resource
/// limits and thread environments need (the in-process `ScoreKitCommand` of the other CLI tests
/// can be neither killed nor given its own environment).
///
/// Children are started with `posix_spawn` and reaped with `waitpid` on their own pid: Foundation's
/// `Process` hung in `waitUntilExit` when tests running in parallel started children at once.
struct ScorekitProcess {
    /// The executable: `$SCOREKIT_BINARY`, or `scorekit` beside the test executable. SwiftPM puts
    /// every product of the package in one folder (`.build/<triple>/debug`, or a sanitizer build's
    /// scratch path), and `swift build --build-tests` builds it with the tests.
    static let executable: URL? = {
        if let path = ProcessInfo.processInfo.environment["SCOREKIT_BINARY"] { return URL(fileURLWithPath: path) }
        let starts = [Bundle.main.executableURL] + Bundle.allBundles.map(\.bundleURL)
        for start in starts.compactMap({ $0?.resolvingSymlinksInPath() }) {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("scorekit")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder.deleteLastPathComponent()
            }
        }
        return nil
    }()

    /// How a finished child ended, and what it printed.
    struct Outcome {
        /// The exit status, or the signal number if `wasSignalled`.
        let status: Int32
        let wasSignalled: Bool
        let standardOutput: String
        let standardError: String

        var succeeded: Bool { !wasSignalled && status == 0 }
    }

    let arguments: [String]
    /// Added to (or replacing entries of) the test process's environment.
    var environment: [String: String] = [:]
    /// A program (absolute path) that runs `scorekit`, e.g. `/usr/bin/prlimit --fsize=N --`; or none.
    var launcher: [String] = []

    /// Starts the child with its standard output and error in `folder/stdout`, `folder/stderr`,
    /// standard input from /dev/null, and every signal at its default action.
    func start(loggingTo folder: URL) throws -> Child {
        let binary = try #require(Self.executable, "no scorekit executable beside the tests: run `swift build --build-tests`")
        let command = launcher + [binary.path] + arguments
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }

        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (descriptor, name) in [(Int32(1), "stdout"), (2, "stderr")] {
            posix_spawn_file_actions_addopen(&actions, descriptor, folder.appendingPathComponent(name).path,
                                             O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        // The test runner may ignore or block signals (SIGXFSZ, SIGPIPE, …); the child must not inherit that.
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = command.map { strdup($0) } + [nil], envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let code = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard code == 0 else {
            throw SpawnError(description: "cannot start \(command[0]): \(String(cString: strerror(code)))")
        }
        return Child(pid: pid, logs: folder)
    }

    /// Runs the child to its end.
    func run(loggingTo folder: URL) throws -> Outcome {
        try start(loggingTo: folder).wait()
    }

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    /// A started child, reaped once by `wait()` or by an `isRunning` that finds it ended.
    final class Child {
        let pid: pid_t
        let logs: URL
        private var waitStatus: Int32?

        init(pid: pid_t, logs: URL) {
            self.pid = pid
            self.logs = logs
        }

        var isRunning: Bool {
            guard waitStatus == nil else { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { waitStatus = status }
            return waitStatus == nil
        }

        /// Sends `signal` unless the child was already reaped (its pid may have been reused).
        func send(_ signal: Int32) {
            if waitStatus == nil { kill(pid, signal) }
        }

        /// Waits for the end and reads what the child printed.
        func wait() throws -> Outcome {
            while waitStatus == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, 0) == pid { waitStatus = status } else if errno != EINTR {
                    throw SpawnError(description: "waitpid(\(pid)): \(String(cString: strerror(errno)))")
                }
            }
            // The wait status: the low 7 bits are the terminating signal (0 for a normal exit), the next 8 the exit code.
            let status = waitStatus ?? 0, signal = status & 0x7f
            let read = { (name: String) in
                String(decoding: try Data(contentsOf: self.logs.appendingPathComponent(name)), as: UTF8.self)
            }
            return Outcome(status: signal == 0 ? (status >> 8) & 0xff : signal, wasSignalled: signal != 0,
                           standardOutput: try read("stdout"), standardError: try read("stderr"))
        }
    }
}

/// A fresh folder under the system's temporary directory (removed by the caller).
func scratchFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The names in `folder` (hidden ones included), sorted.
func fileNames(in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}

/// `AtomicFile`'s temporary files in `folder`: `.NAME.UUID.tmp` (see `Sources/ScoreKitIO/AtomicFile.swift`).
func atomicTemporaries(in folder: URL) throws -> [String] {
    try fileNames(in: folder).filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }
}
