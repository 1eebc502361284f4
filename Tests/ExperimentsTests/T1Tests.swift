import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("T1 training dynamics")
struct T1Tests {
    @Test("a tiny run has finite numbers, the aggregate and per-design figures, and a verdict that follows its numbers")
    func structure() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-t1tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let result = try T1TrainingDynamics(trainingSteps: 20, seedCount: 1, evaluationCount: 50, sampleCount: 100, width: 8)
            .run(ExperimentContext(quick: true, seed: 4, cacheFolder: cache))
        #expect(result.id == "T1")
        #expect(result.figures.count == 1 + T1TrainingDynamics.designs.count)
        #expect(result.numbers.values.allSatisfy { $0.isFinite })
        let ahead = try #require(result.numbers["edm_ahead_fraction"])
        let ratio = try #require(result.numbers["final_energy_ratio_edm_to_song"])
        let passed = [ahead > 0.5, ratio < 1].filter { $0 }.count
        #expect(result.verdict == (passed == 2 ? .holds : (passed == 1 ? .partlyHolds : .doesNotHold)))
        #expect(T1TrainingDynamics.iterations(total: 60) == [50, 60] && T1TrainingDynamics.iterations(total: 1000) == [50, 100, 200, 500, 1000])
    }

    @Test("the excess loss is 0 for the exact denoiser and ‖c‖²/(σ² d) for one offset by a constant c")
    func excessLoss() throws {
        let ring = try IsotropicMixture<Double>.ring()
        let exact = try WangHeTaoToy.exactDenoiser(ring)
        let sigma = 0.7
        let x = ring.sample(count: 200, seed: 1).points + CounterNormalRNG(seed: 2).normals(rows: 200, columns: 2, draw: 0, as: Double.self) * sigma
        let target = try exact.denoise(x, sigma: sigma)
        #expect(try T1TrainingDynamics.excessLoss(exact, noised: x, target: target, sigma: sigma) == 0)
        let shifted = ShiftedDenoiser(base: exact, shift: [0.3, -0.4])
        let expected = (0.09 + 0.16) / (sigma * sigma * 2)
        #expect(abs(try T1TrainingDynamics.excessLoss(shifted, noised: x, target: target, sigma: sigma) - expected) < 1e-12)
    }

    @Test("the ring's variance per coordinate is r²/2 + s² = 2.01")
    func ringVariance() throws {
        #expect(abs(WangHeTaoToy.ringVariance(try IsotropicMixture<Double>.ring()) - 2.01) < 1e-12)
    }
}

/// D(x; σ) + c.
private struct ShiftedDenoiser<Base: Denoiser>: Denoiser {
    let base: Base
    let shift: [Base.Scalar]
    var dimension: Int { base.dimension }
    func denoise(_ x: Matrix<Base.Scalar>, sigma: Base.Scalar) throws -> Matrix<Base.Scalar> {
        try base.denoise(x, sigma: sigma).addingToRows(shift)
    }
}
