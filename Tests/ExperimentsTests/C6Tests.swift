import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite struct C6Tests {
    @Test func smallRunIsFiniteAndItsVerdictFollowsTheNumbers() throws {
        let context = ExperimentContext(quick: true, seed: 13, cacheFolder: FileManager.default.temporaryDirectory)
        let r = try C6GITSSchedule(warmup: 6, evaluation: 10, digitsLimit: 100, components: 3).run(context)
        #expect(r.id == "C6" && r.figures.count == 3)
        #expect(r.numbers.values.allSatisfy { $0.isFinite })
        let n = r.numbers
        let floor = try #require(n["noise_floor_mmd"])
        var l2 = true, mmd = true, gains = [(Int, Double)]()
        for nfe in C6GITSSchedule.budgets {
            let g = try #require(n["gits.nfe\(nfe).l2_to_teacher"]), a = try #require(n["rho7.nfe\(nfe).l2_to_teacher"])
            let b = try #require(n["loguniform.nfe\(nfe).l2_to_teacher"])
            #expect(g > 0 && a > 0 && b > 0)
            l2 = l2 && g <= min(a, b)
            mmd = mmd && n["gits.nfe\(nfe).mmd"]! <= min(n["rho7.nfe\(nfe).mmd"]!, n["loguniform.nfe\(nfe).mmd"]!) + floor
            let gain = try #require(n["gits.nfe\(nfe).relative_l2_gain"])
            #expect(abs(gain - (1 - g / min(a, b))) < 1e-12)
            gains.append((nfe, gain))
        }
        let early = (gains.max { $0.1 < $1.1 }?.0 ?? 99) <= 6
        let regular = try #require(n["mean_cost_cv"]) <= 0.5
        #expect(r.verdict == (l2 && mmd && early && regular ? .holds : (l2 || mmd ? .partlyHolds : .doesNotHold)))
    }

    /// The batch mean of the per-sample one-step costs is the diagonal c[n][n+1] of GITS's cost
    /// matrix (computed there by another route), and the profile has one entry per teacher step.
    @Test func costProfileAveragesToTheCostMatrixDiagonal() throws {
        let model = try ChenSetup.mixture64(seed: 1, components: 3, dimension: 5, rank: 2)
        var noise = NoNoise<Double>()
        let record = try SamplerName.multistep(.ipndm).record(
            model, from: ChenSetup.start(count: 7, dimension: 5, seed: 2), sigmas: try ChenSetup.karras(steps: 15), noise: &noise)
        let profile = try C6GITSSchedule.costProfile(record)
        let (sigmas, cost) = try GITS.costMatrix(record)
        #expect(profile.sigmas == Array(sigmas.dropLast()))
        #expect(profile.costs.count == 14 && profile.costs.allSatisfy { $0.count == 7 })
        for (i, mean) in profile.mean.enumerated() {
            #expect(abs(mean - cost[i][i + 1]) <= 1e-12 * max(1, mean))
        }
        #expect(profile.coefficientOfVariation.allSatisfy { $0 >= 0 && $0.isFinite })
    }
}
