import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite struct C5Tests {
    @Test func smallRunIsFiniteCachesItsModelAndItsVerdictFollowsTheNumbers() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("C5Tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let context = ExperimentContext(quick: true, seed: 9, cacheFolder: cache)
        let experiment = C5ScoreDeviation(trainingSteps: 20, batch: 12, trainingPoints: 60, steps: 10)
        let r = try experiment.run(context)
        #expect(r.id == "C5" && r.figures.count == 2)
        #expect(r.numbers.values.allSatisfy { $0.isFinite })
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 1)
        let n = r.numbers
        let peak = try #require(n["peak_mean_deviation"])
        let matched = try #require(n["mean_deviation_sigma_ge_10"]) <= 0.1 * peak
        let peaked = try #require(n["peak_sigma"]) < 10 && n["peak_before_last_step"] == 1
        let learned = try #require(n["memorisation_learned"]), exact = try #require(n["memorisation_exact"])
        #expect((0...1).contains(learned) && (0...1).contains(exact))
        let met = [matched, peaked, learned <= 0.9 && exact >= 0.99].filter { $0 }.count
        #expect(r.verdict == (met == 3 ? .holds : (met == 0 ? .doesNotHold : .partlyHolds)))
        // The second run reuses the cached checkpoint and so measures the same model.
        let again = try experiment.run(context)
        #expect(again.reading.contains("reused from the cache"))
        #expect(again.numbers == r.numbers)
    }

    /// The exact denoiser deviates from itself by exactly 0 along its own trajectory, and the
    /// per-sample deviations of another model average to `ScoreDeviation`'s batch mean.
    @Test func perSampleDeviationIsZeroForTheExactModelAndAveragesToScoreDeviation() throws {
        let data = try IsotropicMixture<Double>.ring().sample(count: 40, seed: 2).points
        let exact = try EmpiricalDenoiser(data: data)
        let sigmas = try ChenSetup.karras(steps: 12)
        let start = ChenSetup.start(count: 6, dimension: 2, seed: 4)
        let own = try C5ScoreDeviation.perSampleDeviation(try ChenSetup.eulerRecord(exact, start: start, sigmas: sigmas), exact: exact)
        #expect(own.count == 12 && own.allSatisfy { $0.allSatisfy { $0 == 0 } })

        let other = try ChenSetup.eulerRecord(try ChenSetup.ring(), start: start, sigmas: sigmas)
        let perSample = try C5ScoreDeviation.perSampleDeviation(other, exact: exact)
        let reference = try ScoreDeviation(other, exact: exact)
        #expect(reference.sigmas.count == perSample.count)
        for (values, mean) in zip(perSample, reference.meanDeviation) {
            #expect(abs(ChenSetup.mean(values) - mean) <= 1e-12 * max(1, mean))
        }
    }
}
