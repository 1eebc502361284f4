import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("K2 finite vs infinite horizon")
struct K2Tests {
    @Test("a tiny run reports finite distances consistent with its verdict")
    func structure() throws {
        let experiment = K2HorizonAndLevels(dimension: 16, pointCount: 4, levelCounts: [3, 8], sampleCount: 3, sigmaMin: 0.1)
        let result = try experiment.run(ExperimentContext(quick: true, seed: 5, cacheFolder: FileManager.default.temporaryDirectory))
        #expect(result.id == "K2")
        let worst = try #require(result.numbers["worst_infinite_horizon_distance"])
        #expect(worst.isFinite && worst >= 0)
        for l in [3, 8] {
            let finite = try #require(result.numbers["median_distance_tau_end_L\(l)"])
            let infinite = try #require(result.numbers["median_distance_50tau_end_L\(l)"])
            #expect(finite.isFinite && infinite.isFinite)
            // Training points are the flow's attractors: more time never moves the median away.
            #expect(infinite <= finite + 1e-12)
        }
        let first = try #require(result.numbers["median_distance_tau_end_L3"])
        let last = try #require(result.numbers["median_distance_tau_end_L8"])
        let expected: Verdict = worst <= 1e-6 && last <= 1e-3 && first > 1e-3 ? .holds
            : (worst <= 1e-6 || (last <= 1e-3 && first > 1e-3) ? .partlyHolds : .doesNotHold)
        #expect(result.verdict == expected)
        guard case .plot(let plot) = try #require(result.figures.first) else { Issue.record("expected a plot"); return }
        #expect(plot.series.count == 4 && plot.yScale == .log)
    }
}
