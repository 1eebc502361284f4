import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite struct C4Tests {
    @Test func smallRunIsFiniteAndItsVerdictFollowsTheNumbers() throws {
        let context = ExperimentContext(quick: true, seed: 11, cacheFolder: FileManager.default.temporaryDirectory)
        let r = try C4MeanShiftMonotoneLikelihood(batch: 3, digitsLimit: 60, grids: [10, 20]).run(context)
        #expect(r.id == "C4" && r.figures.count == 4)
        #expect(r.numbers.count == 4 * 4 + 3 && r.numbers.values.allSatisfy(\.isFinite))
        let increase = try #require(r.numbers["min_log_density_increase_all"])
        let ratio = try #require(r.numbers["min_memorisation_ratio"])
        let distance = try #require(r.numbers["max_mean_nn_distance"])
        #expect((0...1).contains(ratio) && distance >= 0)
        let monotone = increase >= -1e-9, memorised = ratio >= 0.99 && distance <= 1e-3
        #expect(r.verdict == (monotone && memorised ? .holds : (monotone || memorised ? .partlyHolds : .doesNotHold)))
        // An Euler step with the empirical denoiser is a partial mean-shift step (round-off only).
        for (name, value) in r.numbers where name.hasSuffix("max_partial_step_residual") { #expect(value < 1e-9, "\(name)") }
    }
}
