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
    /// A program that runs `scorekit` (e.g. `prlimit --fsize=N --`), or none.
    var launcher: [String] = []

    /// Starts the child with its standard output and error in `folder/stdout`, `folder/stderr`.
    func start(loggingTo folder: URL) throws -> Process {
        let binary = try #require(Self.executable, "no scorekit executable beside the tests: run `swift build --build-tests`")
        let process = Process()
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: nil)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: folder.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("stderr"))
        try process.run()
        return process
    }

    /// Runs the child to its end.
    func run(loggingTo folder: URL) throws -> Outcome {
        let process = try start(loggingTo: folder)
        process.waitUntilExit()
        return try Self.outcome(of: process, loggedTo: folder)
    }

    /// The outcome of a child that has ended.
    static func outcome(of process: Process, loggedTo folder: URL) throws -> Outcome {
        let read = { (name: String) in
            String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
        }
        return Outcome(status: process.terminationStatus, wasSignalled: process.terminationReason == .uncaughtSignal,
                       standardOutput: try read("stdout"), standardError: try read("stderr"))
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
