import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("K4 trained multiplicative networks")
struct K4Tests {
    static func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-k4tests-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("a tiny run has finite numbers, the phase portrait and one sample scatter per model, and a verdict that follows its numbers")
    func structure() throws {
        let cache = try Self.folder("run")
        defer { try? FileManager.default.removeItem(at: cache) }
        let result = try K4TrainedMultiplicative(trainingSteps: 30, sampleCount: 40, width: 8, gridSide: 3, maxFlowSteps: 40)
            .run(ExperimentContext(quick: true, seed: 5, cacheFolder: cache))
        #expect(result.id == "K4")
        #expect(result.figures.count == 4)
        for key in ["multiplicative_ald_energy", "conditional_ode_energy", "energy_floor", "energy_ratio_multiplicative_to_conditional",
                    "ald_captured_by_mode_equilibria", "ode_captured_by_mode_equilibria"] {
            #expect(result.numbers[key]?.isFinite == true, "\(key)")
        }
        let n = result.numbers
        let floor = try #require(n["energy_floor"])
        let aldOK = try #require(n["multiplicative_ald_energy"]) <= 2 * max(try #require(n["conditional_ald_energy"]), floor)
        let odeOK = try #require(n["multiplicative_ode_energy"]) <= 2 * max(try #require(n["conditional_ode_energy"]), floor)
        let captured = min(try #require(n["ald_captured_by_mode_equilibria"]), try #require(n["ode_captured_by_mode_equilibria"]))
        let passes = [aldOK && odeOK, n["modes_with_stable_equilibrium"] == 8, captured >= 0.9]
        let passed = passes.filter { $0 }.count
        #expect(result.verdict == (passed == 3 ? .holds : (passed > 0 ? .partlyHolds : .doesNotHold)))
    }

    @Test("for the exact f* of two separated points, each point counts as a mode with a stable equilibrium and the saddle between them does not")
    func modeEquilibriaOfTwoPoints() throws {
        let modes = Matrix<Double>(rowArrays: [[-1, 0], [1, 0]])
        let levels = try ExactMath.geometricLevels(count: 10, sigmaMax: 10, sigmaMin: 0.01)
        let field = VectorField(try MultiplicativeOptimalField(base: try EmpiricalDenoiser(data: modes), levels: levels))
        let starts = Matrix<Double>(rowArrays: [[-1, 0], [1, 0], [0.01, 0]])
        let equilibria = try EquilibriumSearch.run(field, starts: starts, trainingData: modes)
        let atModes = K4TrainedMultiplicative.modeEquilibria(equilibria, radius: 0.3)
        #expect(atModes.count == 2)
        #expect(Set(atModes.compactMap { equilibria[$0].nearestTrainingIndex }) == [0, 1])
        // The symmetric point between the two modes is a saddle (attracting across, repelling along).
        let saddle = try #require(equilibria.firstIndex { abs($0.point[0]) < 0.1 })
        #expect(equilibria[saddle].stability == .saddle)
        #expect(!atModes.contains(saddle))
    }

    @Test("the toy-model cache: a resumed run equals an uninterrupted one, and cached checkpoints are reused without retraining")
    func toyModelCache() throws {
        let (a, b) = (try Self.folder("a"), try Self.folder("b"))
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let config = try ToyTrainedModel.configuration(network: ToyTrainedModel.network(dimension: 2, width: 8, multiplicative: true),
                                                       parameterization: .multiplicative, noise: .songVE, weighting: .inverseVariance,
                                                       steps: 12, seed: 3)
        let data = ToyDataset.ring8.sample(count: 64, seed: 1, as: Float.self)
        let probe = Matrix<Double>(rowArrays: [[0.3, -1.2], [2, 0.1]])
        let uninterrupted = try ToyTrainedModel(configuration: config, data: data, cacheFolder: a).denoisers(at: [12], weights: .raw)
        let resumed = try ToyTrainedModel(configuration: config, data: data, cacheFolder: b).denoisers(at: [5, 12], weights: .raw)
        let x = try #require(uninterrupted[12]).denoise(probe, sigma: 0.7)
        #expect(x.scalars == (try #require(resumed[12]).denoise(probe, sigma: 0.7)).scalars)
        // A second request reads the file: same outputs, file untouched.
        let url = try ToyTrainedModel(configuration: config, data: data, cacheFolder: a).url(step: 12)
        let stamp = try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
        let again = try ToyTrainedModel(configuration: config, data: data, cacheFolder: a).denoisers(at: [12], weights: .raw)
        #expect(try #require(again[12]).denoise(probe, sigma: 0.7).scalars == x.scalars)
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date == stamp)
        // Another seed is another run: another file.
        var other = config
        other.seed = 4
        #expect(try ToyTrainedModel(configuration: other, data: data, cacheFolder: a).url(step: 12) != url)
    }
}
