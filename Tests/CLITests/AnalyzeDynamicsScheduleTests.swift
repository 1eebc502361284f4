import Foundation
import Testing
@testable import ScoreKitCLI
import ScoreKit

/// Runs `scorekit ARGS` in-process in a fresh temporary folder and returns the folder.
private func scorekit(_ args: (URL) -> [String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-analyze-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try run(args(dir))
    return dir
}

private func jsonObject(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

private func expectSVG(_ url: URL, containing element: String) throws {
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.hasPrefix("<?xml") && text.contains("<svg") && text.hasSuffix("</svg>\n") && text.contains(element))
}

@Suite("scorekit analyze dynamics and schedule")
struct AnalyzeDynamicsScheduleTests {
    /// Two training points; the level posterior at a point is w_i ∝ σ_i^{−d} (the other point is
    /// far), and there the Jacobian of f* = Σ w_i (D_i − y)/σ_i is −(Σ_i w_i/σ_i) I, which tends to
    /// −I/σ_min as the posterior sharpens (papers.md §1.4).
    func twoPointRun(dimension d: Int) throws -> (equilibria: [[String: Any]], expected: Double, data: Matrix<Double>, dir: URL) {
        var data = Matrix<Double>(rows: 2, columns: d)
        data[0, 0] = -1.5
        data[1, 0] = 1.5
        data[1, d - 1] = 0.5
        let levels = try Schedule<Double>.ncsnLevels(count: 30, sigmaBegin: 3, sigmaEnd: 0.01).sigmas
        let logWeights = levels.map { -Double(d) * log($0) }
        let top = logWeights.max() ?? 0
        let weights = logWeights.map { exp($0 - top) }
        let expected = -zip(weights, levels).reduce(0) { $0 + $1.0 / $1.1 } / weights.reduce(0, +)
        let dir = try scorekit { dir in
            let file = dir.appendingPathComponent("two.npy")
            try? NPY.write(data, to: file)
            return ["analyze", "dynamics", "--data", file.path, "--levels", "30", "--sigma-max", "3", "--sigma-min", "0.01",
                    "--grid", "5", "--starts", "4", "--json", dir.appendingPathComponent("d.json").path,
                    "--svg", dir.appendingPathComponent("d.svg").path]
        }
        let object = try jsonObject(dir.appendingPathComponent("d.json"))
        return (try #require(object["equilibria"] as? [[String: Any]]), expected, data, dir)
    }

    @Test("d = 2: two stable equilibria at the training points with eigenvalues −Σ w_i/σ_i; a phase portrait")
    func dynamicsTwoPointsPlane() throws {
        let run = try twoPointRun(dimension: 2)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        let stable = run.equilibria.filter { $0["stability"] as? String == "stable" }
        #expect(stable.count == 2)
        #expect(Set(stable.compactMap { $0["nearestTrainingIndex"] as? Int }) == [0, 1])
        for e in stable {
            #expect(try #require(e["nearestTrainingDistance"] as? Double) < 1e-3)
            for lambda in try #require(e["eigenvalues"] as? [Double]) {
                #expect(abs(lambda / run.expected - 1) < 1e-3, "\(lambda) vs \(run.expected)")
            }
        }
        try expectSVG(run.dir.appendingPathComponent("d.svg"), containing: "stable equilibria")
    }

    @Test("d = 16: the eigenvalues are ≈ −1/σ_min = −100")
    func dynamicsTwoPointsSixteen() throws {
        let run = try twoPointRun(dimension: 16)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        let stable = run.equilibria.filter { $0["stability"] as? String == "stable" }
        #expect(stable.count == 2)
        for e in stable {
            #expect(try #require(e["nearestTrainingDistance"] as? Double) < 1e-8)
            for lambda in try #require(e["eigenvalues"] as? [Double]) {
                #expect(abs(lambda + 100) < 2, "\(lambda)")
                #expect(abs(lambda / run.expected - 1) < 1e-3)
            }
        }
    }

    @Test("schedule: error falls with N at δ = 0; GITS picks K + 1 descending teacher σ from σ_max to σ_min")
    func scheduleErrorAndGITS() throws {
        let dir = try scorekit { dir in
            ["analyze", "schedule", "--denoiser", "gaussian", "--data", "ring8", "--data-count", "64",
             "--schedules", "karras,exponential", "--steps-list", "2,4,8", "--deltas", "0,0.2", "--count", "6",
             "--sigma-max", "20", "--sigma-min", "0.01", "--gits-steps", "3", "--teacher-steps", "12",
             "--json", dir.appendingPathComponent("s.json").path, "--svg", dir.appendingPathComponent("s.svg").path]
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let object = try jsonObject(dir.appendingPathComponent("s.json"))
        let curves = try #require((object["study"] as? [String: Any])?["curves"] as? [[String: Any]])
        #expect(curves.count == 4)
        for curve in curves where curve["delta"] as? Double == 0 {
            let error = try #require(curve["error"] as? [Double])
            #expect(error[0] > error[1] && error[1] > error[2], "\(error)")
        }
        let gits = try #require((object["gits"] as? [String: Any])?["schedule"] as? [String: Any])
        let sigmas = try #require(gits["sigmas"] as? [Double])
        let teacher = try #require(gits["teacherSigmas"] as? [Double])
        #expect(sigmas.count == 5 && sigmas.last == 0)
        #expect(abs(sigmas[0] - 20) < 1e-12 && abs(sigmas[3] - 0.01) < 1e-12)
        #expect(zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 > $1 })
        #expect(sigmas.dropLast().allSatisfy { teacher.contains($0) })
        try expectSVG(dir.appendingPathComponent("s.svg"), containing: "polyline")
        try expectSVG(dir.appendingPathComponent("s-gits.svg"), containing: "GITS")
    }

    @Test("trajectory and gaussian write SVG figures")
    func trajectoryAndGaussianSVG() throws {
        let dir = try scorekit { dir in
            ["sample", "--denoiser", "empirical", "--data", "moons", "--data-count", "50", "--count", "5", "--seed", "1",
             "--sampler", "heun", "--schedule", "karras", "--steps", "6", "--precision", "float64",
             "--out", dir.appendingPathComponent("x.npy").path, "--trajectory", dir.appendingPathComponent("t.npz").path]
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        try run(["analyze", "trajectory", dir.appendingPathComponent("t.npz").path, "--svg", dir.appendingPathComponent("t.svg").path])
        try expectSVG(dir.appendingPathComponent("t.svg"), containing: "PC 1")
        try run(["analyze", "gaussian", "--data", "moons", "--data-count", "40", "--points", "16",
                 "--svg", dir.appendingPathComponent("g.svg").path])
        try expectSVG(dir.appendingPathComponent("g.svg"), containing: "explained variance")
    }
}

@Suite("scorekit train-classifier and eval's extra metrics")
struct ClassifierCommandTests {
    @Test("the classifier's backward pass matches central finite differences of the loss")
    func backwardMatchesFiniteDifferences() throws {
        let trainer = try ClassifierTrainer<Double>(widths: [4, 5, 3, 3], seed: 2, learningRate: 1e-3)
        let x = CounterNormalRNG(seed: 3).normals(rows: 6, columns: 4, draw: 0, as: Double.self)
        let labels = [0, 2, 1, 1, 0, 2]
        let (_, gradient) = try trainer.lossAndGradient(x, labels: labels)
        let h = 1e-6
        for (t, tensor) in trainer.parameters.enumerated() {
            for k in tensor.value.scalars.indices {
                func loss(_ delta: Double) throws -> Double {
                    let p = NamedTensors(trainer.parameters.enumerated().map { index, original in
                        var moved = original
                        if index == t { moved.value.scalars[k] += delta }
                        return moved
                    })
                    var moved = trainer
                    try moved.load(p)
                    return try moved.lossAndGradient(x, labels: labels).loss
                }
                let numeric = (try loss(h) - loss(-h)) / (2 * h)
                #expect(abs(numeric - gradient[t].value.scalars[k]) < 1e-7, "\(tensor.name)[\(k)]")
            }
        }
    }

    @Test("train-classifier writes weights that load as a feature classifier")
    func trainsAndWrites() throws {
        let dir = try scorekit { dir in
            ["train-classifier", "--steps", "30", "--out", dir.appendingPathComponent("c.safetensors").path]
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let classifier = try FeatureClassifier<Float>(contentsOf: dir.appendingPathComponent("c.safetensors"))
        #expect(classifier.inputDimension == 64 && classifier.featureDimension == 64 && classifier.classCount == 10)
    }

    @Test("eval adds fd_classifier (0 for digits against themselves) and nll_pf")
    func evalExtraKeys() throws {
        let dir = try scorekit { dir in
            let file = dir.appendingPathComponent("digits.npy")
            try? NPY.write(try Digits<Float>.load().images.rows(0..<200), to: file)
            return ["eval", "--samples", file.path, "--reference", file.path, "--classifier-fd",
                    "--json", dir.appendingPathComponent("m.json").path]
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let object = try jsonObject(dir.appendingPathComponent("m.json"))
        #expect(try #require(object["fd_classifier"] as? Double) < 1e-2)

        let moons = dir.appendingPathComponent("moons.npy")
        try NPY.write(ToyDataset.moons.sample(count: 40, seed: 2, as: Double.self), to: moons)
        try run(["eval", "--samples", moons.path, "--reference", moons.path, "--pf-nll", "--pf-steps", "8", "--precision", "float64",
                 "--json", dir.appendingPathComponent("p.json").path])
        #expect(try #require(jsonObject(dir.appendingPathComponent("p.json"))["nll_pf"] as? Double).isFinite)
    }
}
