import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("K3 Gaussian data under the multiplicative flow")
struct K3Tests {
    @Test("a tiny run reports finite errors and a collapse consistent with its verdict")
    func structure() throws {
        let experiment = K3GaussianData(dimensions: [1, 4], sampleCount: 32, longHorizonCount: 3, levelCount: 3, horizonMultiple: 3)
        let result = try experiment.run(ExperimentContext(quick: true, seed: 2, cacheFolder: FileManager.default.temporaryDirectory))
        #expect(result.id == "K3")
        #expect(result.numbers.values.allSatisfy { $0.isFinite })
        #expect(result.figures.count == 2)
        let first = try #require(result.numbers["excess_relative_w2_d1"])
        let last = try #require(result.numbers["excess_relative_w2_largest_d"])
        let collapse = try #require(result.numbers["worst_collapse_ratio"])
        // V = ‖y − μ‖² is a Lyapunov function (§1.4): going on never moves the median away from μ.
        #expect(collapse <= 1)
        let passes = [last < 0.5 * first, collapse < 0.1]
        let expected: Verdict = passes.allSatisfy { $0 } ? .holds : (passes.contains(true) ? .partlyHolds : .doesNotHold)
        #expect(result.verdict == expected)
    }

    @Test("the sampling floor is the Fréchet distance of a fit to exact draws: small for a few hundred samples")
    func floorIsSmall() throws {
        let experiment = K3GaussianData(dimensions: [2], sampleCount: 300, longHorizonCount: 2, levelCount: 2, horizonMultiple: 1.1)
        let result = try experiment.run(ExperimentContext(quick: true, seed: 9, cacheFolder: FileManager.default.temporaryDirectory))
        let floor = try #require(result.numbers["relative_w2_floor_d2"])
        // W2² of a 300-sample fit in 2-D is O(d/n) relative: far below 5e-2.
        #expect(floor >= 0 && floor < 5e-2)
    }
}
