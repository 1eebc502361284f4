import Foundation
import Testing
@testable import ScoreKitCLI

/// `scorekit train --config FILE` with a hostile configuration (the `fuzz-config` findings of
/// TrainingTests/ConfigurationRegressionTests): one `Error:` line, exit ≠ 0, no output directory.
@Suite("scorekit train --config: hostile configurations")
struct ConfigInputTests {
    /// A valid configuration for 2-D data with one hostile value each: a network of 2·10¹⁸
    /// parameters, a batch of 10¹² rows, a sample counter past `Int`, a non-JSON number.
    static let hostile: [(name: String, json: String, reason: String)] = [
        ("width", configuration(width: "1000000000"), "parameters, more than the limit"),
        ("batch", configuration(batch: "1000000000000"), "activation scalars"),
        ("steps", configuration(steps: "4611686018427387904"), "overflow the sample counter"),
        ("lr", configuration(learningRate: "1e400"), "not a valid training configuration"),
    ]

    static func configuration(width: String = "8", batch: String = "4", steps: String = "10", learningRate: String = "0.001") -> String {
        #"{"model":{"dataDimension":2,"width":\#(width),"depth":1,"hiddenWidth":\#(width),"activation":"silu","noiseInput":{"fourier":{"channels":8,"scale":16}},"conditioning":"film"},"parameterization":{"preconditioned":{"_0":{"edm":{"sigmaData":0.5}}}},"noiseDistribution":{"logNormal":{"mean":-1.2,"standardDeviation":1.2}},"weighting":{"edm":{"sigmaData":0.5}},"batchSize":\#(batch),"steps":\#(steps),"learningRate":{"base":\#(learningRate),"warmupSteps":0,"decay":{"constant":{}}},"optimizer":{"adam":{"beta1":0.9,"beta2":0.999,"epsilon":1e-08,"weightDecay":0}},"emaDecay":0.999,"seed":0,"buckets":{"minimum":0.002,"maximum":80,"count":16}}"#
    }

    /// A fresh folder holding `config.json`; `out` inside it is where the run would write.
    func prepare(_ json: String) throws -> (folder: URL, config: URL, out: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("config.json")
        try Data(json.utf8).write(to: config)
        return (folder, config, folder.appendingPathComponent("out"))
    }

    @Test func inProcessTheCommandThrowsAndWritesNothing() throws {
        for input in Self.hostile {
            let (folder, config, out) = try prepare(input.json)
            defer { try? FileManager.default.removeItem(at: folder) }
            let error = try #require(throws: (any Error).self, "\(input.name)") {
                try run(["train", "--data", "ring8", "--config", config.path, "--out", out.path])
            }
            #expect("\(error)".contains(input.reason), "\(input.name): \(error)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(input.name) created \(out.path)")
        }
    }

    /// The real executable: nonzero exit (not a signal), exactly one `Error:` line, the last one.
    @Test func theExecutableExitsWithOneErrorLine() throws {
        let (folder, config, out) = try prepare(Self.hostile[0].json)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = ScorekitProcess(arguments: ["train", "--data", "ring8", "--config", config.path, "--out", out.path])
        let outcome = try process.run(loggingTo: folder)
        #expect(!outcome.wasSignalled && outcome.status != 0, "ended with \(outcome.wasSignalled ? "signal" : "status") \(outcome.status)")
        let errors = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errors.count == 1, "\(outcome.standardError)")
        let line = try #require(errors.first)
        #expect(line.contains(Self.hostile[0].reason), "\(line)")
        #expect(outcome.standardError.hasSuffix(line + "\n"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
