import Foundation
import Testing
@testable import ScoreKitCLI
import ScoreKit

private func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-sample-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A small exact problem: the empirical denoiser of 64 ring8 points, 6 Karras steps.
private let base = ["sample", "--denoiser", "empirical", "--data", "ring8", "--data-count", "64",
                    "--steps", "6", "--sigma-max", "10", "--precision", "float64", "--quiet"]

@Suite("scorekit sample")
struct SampleCommandTests {
    @Test func shardsConcatenateToTheUnshardedRunBitForBit() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole.npy")
        try run(base + ["--sampler", "euler_ancestral", "--count", "200", "--seed", "3", "--out", whole.path])
        var parts: [Matrix<Double>] = []
        for k in 0..<3 {
            let part = dir.appendingPathComponent("part\(k).npy")
            try run(base + ["--sampler", "euler_ancestral", "--count", "200", "--seed", "3", "--shard", "\(k)/3",
                            "--out", part.path])
            parts.append(try NPY.readMatrix(contentsOf: part))
        }
        // 200 rows are 2 blocks of 128: shards own blocks ⌊2k/3⌋ ..< ⌊2(k+1)/3⌋.
        #expect(parts.map(\.rows) == [0, 128, 72])
        #expect(Matrix.vstack(parts) == (try NPY.readMatrix(contentsOf: whole, as: Double.self)))
    }

    /// 10 rows are one block: two of three shards are empty (0 × d files, any sampler) and the
    /// third is the whole run.
    @Test(arguments: ["euler_ancestral", "rk45", "pc"])
    func shardsBeyondTheBlocksAreEmpty(sampler: String) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = base + ["--sampler", sampler, "--count", "10", "--seed", "3"]
        let whole = dir.appendingPathComponent("whole.npy")
        try run(arguments + ["--out", whole.path])
        var parts: [Matrix<Double>] = []
        for k in 0..<3 {
            let part = dir.appendingPathComponent("part\(k).npy")
            try run(arguments + ["--shard", "\(k)/3", "--out", part.path])
            parts.append(try NPY.readMatrix(contentsOf: part))
        }
        #expect(parts.map(\.rows) == [0, 0, 10] && parts.allSatisfy { $0.columns == 2 })
        #expect(parts[2] == (try NPY.readMatrix(contentsOf: whole, as: Double.self)))
    }

    @Test func sampleIDependsOnlyOnSeedAndIndex() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [Matrix<Double>] = []
        for count in [1, 7, 12] {
            let out = dir.appendingPathComponent("n\(count).npy")
            try run(base + ["--sampler", "dpmpp_2m_sde", "--count", "\(count)", "--seed", "11", "--out", out.path])
            outputs.append(try NPY.readMatrix(contentsOf: out))
        }
        #expect(outputs[1].rows(0..<1) == outputs[0])
        #expect(outputs[2].rows(0..<7) == outputs[1])
    }

    @Test func trajectoryHoldsEveryStepAndTheFinalState() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.npy"), traj = dir.appendingPathComponent("t.npz")
        try run(base + ["--sampler", "heun", "--count", "5", "--out", out.path, "--trajectory", traj.path])
        let arrays = try NPZ.read(contentsOf: traj)
        func shape(_ name: String) -> [Int]? { arrays.first { $0.name == name }?.array.shape }
        #expect(shape("sigmas") == [7] && shape("x") == [7, 5, 2] && shape("denoised") == [7, 5, 2])
        let sigmas = try #require(arrays.first { $0.name == "sigmas" }).array.scalars(as: Double.self)
        #expect(abs((sigmas.first ?? 0) - 10) < 1e-12 && sigmas.last == 0)
        let x = try #require(arrays.first { $0.name == "x" }).array.slices(as: Double.self)
        #expect(x.last == (try NPY.readMatrix(contentsOf: out, as: Double.self)))
        let nfe = try #require(arrays.first { $0.name == "nfe" }).array.scalars(as: Double.self)
        #expect(nfe == [11])  // heun: 2N − 1
    }

    @Test func badInputFailsWithoutWritingOutput() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("never.npy")
        // Too few replayed draws for 6 ancestral steps.
        let noise = dir.appendingPathComponent("noise.npy")
        try NPY.write(NDArray(shape: [2, 4, 2], scalars: [Double](repeating: 0.5, count: 16)), to: noise)
        #expect(throws: SamplingError.noiseExhausted(available: 2)) {
            try run(base + ["--sampler", "euler_ancestral", "--count", "4", "--step-noise", noise.path, "--out", out.path])
        }
        // NaN in the start noise.
        let z = dir.appendingPathComponent("z.npy")
        try NPY.write(Matrix<Double>(rows: 2, columns: 2, scalars: [0, .nan, 1, 2]), to: z)
        #expect(throws: CLIError.self) { try run(base + ["--sampler", "euler", "--init", z.path, "--out", out.path]) }
        // Unknown sampler, no start noise, both start noises.
        #expect(throws: (any Error).self) { try run(base + ["--sampler", "nope", "--count", "2", "--out", out.path]) }
        #expect(throws: (any Error).self) { try run(base + ["--sampler", "euler", "--out", out.path]) }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func teleportationIsExactForTheGaussianDenoiser() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = dir.appendingPathComponent("full.npy"), jumped = dir.appendingPathComponent("jumped.npy")
        // With the data's own Gaussian as the denoiser the closed-form jump is the exact flow, so an
        // accurate solver ends at the same points with or without the skipped steps.
        let gaussian = base.map { $0 == "empirical" ? "gaussian" : $0 } + ["--sampler", "rk45", "--count", "6"]
        try run(gaussian + ["--out", full.path])
        try run(gaussian + ["--teleport-sigma", "2", "--out", jumped.path])
        let a = try NPY.readMatrix(contentsOf: full, as: Double.self), b = try NPY.readMatrix(contentsOf: jumped, as: Double.self)
        #expect((a - b).maxAbs() < 1e-5)
        #expect(a != b)
    }
}

@Suite("scorekit analyze")
struct AnalyzeCommandTests {
    @Test func trajectoryAnalysisOfAGaussianRunIsNearlyStraight() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let traj = dir.appendingPathComponent("t.npz"), json = dir.appendingPathComponent("g.json")
        // Isotropic data: every Euler step points at the same final sample, so the path is a line.
        try run(["sample", "--denoiser", "gaussian", "--data", "ring8", "--data-count", "400", "--steps", "20",
                 "--sampler", "euler", "--count", "8", "--precision", "float64", "--quiet",
                 "--out", dir.appendingPathComponent("x.npy").path, "--trajectory", traj.path])
        try run(["analyze", "trajectory", traj.path, "--json", json.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let deviation = try #require(object["meanDeviation"] as? [Double])
        #expect(deviation.count == 21)
        // The ring's covariance is isotropic up to sampling noise, so the deviation stays tiny.
        #expect(deviation.max()! < 0.02)
    }
}
