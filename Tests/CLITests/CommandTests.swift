import Foundation
import Testing
@testable import ScoreKitCLI
import ScoreKit

private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Command line")
struct CommandTests {
    @Test func scheduleWritesTheKarrasScheduleAsNpy() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("s.npy")
        try run(["schedule", "karras", "--steps", "5", "--out", out.path])
        let sigmas = try NPY.read(contentsOf: out).scalars(as: Double.self)
        // k-diffusion's get_sigmas_karras(5, 0.002, 80) in float64 (anchors.md §2.2).
        #expect(sigmas.count == 6 && sigmas[0] == 80 && sigmas[4] == 0.002000000000000003 && sigmas[5] == 0)
        #expect(abs(sigmas[1] - 17.528) < 1e-3 && abs(sigmas[3] - 0.16975) < 1e-5)
    }

    @Test func badArgumentsAreRejectedBeforeAnyWork() {
        #expect(throws: (any Error).self) { try run(["schedule", "karras", "--steps", "0"]) }
        #expect(throws: (any Error).self) { try run(["schedule", "nope", "--steps", "3"]) }
        #expect(throws: (any Error).self) {
            try run(["schedule", "karras", "--steps", "3", "--sigma-min", "5", "--sigma-max", "1"])
        }
    }

    @Test func infoRefusesBrokenFilesWithAnIOError() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.npy")
        try Data("\u{93}NUMPY\u{1}\u{0}garbage".utf8).write(to: bad)
        #expect(throws: IOError.self) { try run(["info", bad.path]) }
        #expect(throws: IOError.self) { try run(["info", dir.appendingPathComponent("missing.npy").path]) }
    }

    @Test func reproduceRunsAListOfClaimsIntoOneReportAndRefusesUnknownIds() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try run(["reproduce", "w1, t3", "--quick", "--out", dir.path])
        for id in ["T3", "W1"] {
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("\(id).json"))) as? [String: Any]
            #expect(record?["id"] as? String == id)
        }
        let report = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        // Report order (T before W), whatever the order asked for.
        let t3 = try #require(report.range(of: "id=\"claim-T3\"")), w1 = try #require(report.range(of: "id=\"claim-W1\""))
        #expect(t3.lowerBound < w1.lowerBound)
        #expect(throws: ExperimentError.self) { try run(["reproduce", "T3,Z9", "--quick", "--out", dir.path]) }
    }

    @Test func demoTrainsSamplesAndWritesGridsAPageAndACheckpoint() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try run(["demo", "--out", dir.path, "--train-steps", "3", "--samples", "8", "--reproduce", "T3", "--eval-rows", "4", "--quiet"])
        for name in ["training.png", "samples_trained.png", "samples_exact.png", "samples_trained_dpmpp_2m.png"] {
            let png = try Data(contentsOf: dir.appendingPathComponent(name))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name)")
        }
        // The checkpoint it wrote is a usable denoiser of 64-D digits, the ring model one of 2-D points.
        let model = try NetworkDenoiser<Float>.load(checkpoint: dir.appendingPathComponent("checkpoint.safetensors"))
        #expect(try model.denoise(Matrix(rows: 2, columns: 64), sigma: 1).isFinite)
        let ring = try NetworkDenoiser<Float>.load(checkpoint: dir.appendingPathComponent("ring8_model.safetensors"))
        #expect(ring.dimension == 2)
        // The page: loss curves and scatter plots as inline SVG, digit grids as base64 PNG, both tables, the claims link.
        let page = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.components(separatedBy: "<svg").count - 1 == 2 + 4 + 5)
        #expect(page.contains("data:image/png;base64,") && page.contains("exact empirical") && page.contains("dpmpp_2m"))
        #expect(page.contains("href=\"reproduce/report.html\""))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reproduce/report.html").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reproduce/T3.json").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("ring8_trained_heun.svg").path))
    }
}

@Suite("scorekit eval")
struct EvalCommandTests {
    @Test func jsonHasTheDocumentedKeysAndDetectsCopies() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = ToyDataset.moons.sample(count: 200, seed: 1, as: Double.self)
        let trainURL = dir.appendingPathComponent("train.npy"), json = dir.appendingPathComponent("m.json")
        try NPY.write(train, to: trainURL)
        // Samples that copy training points are fully memorised, at distance 0.
        try run(["eval", "--samples", trainURL.path, "--reference", "moons", "--train", trainURL.path,
                 "--precision", "float64", "--json", json.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Double])
        #expect(Set(object.keys) == ["mmd", "energy_distance", "sliced_w2", "fd", "precision", "recall",
                                     "memorization", "nn_distance"])
        #expect(object["memorization"] == 1 && object["nn_distance"] == 0)
    }
}
