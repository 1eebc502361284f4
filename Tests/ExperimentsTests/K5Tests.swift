import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("K5 digits: exact and learned multiplicative fields")
struct K5Tests {
    @Test("a tiny run has finite numbers, image grids of 8×8 images, and a verdict that follows its numbers")
    func structure() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-k5tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let result = try K5DigitsEquilibria(trainingSteps: 10, sampleCount: 2, levelCount: 3, width: 8, digitCount: 30, sigmaMin: 0.5)
            .run(ExperimentContext(quick: true, seed: 6, cacheFolder: cache))
        #expect(result.id == "K5")
        #expect(!result.figures.isEmpty)
        for figure in result.figures {
            guard case .imageGrid(let grid) = figure else { Issue.record("expected image grids"); continue }
            #expect(grid.height == 8 && grid.width == 8 && grid.images.allSatisfy { $0.count == 64 })
            // Top row: points; bottom row: their nearest training digits.
            #expect(grid.images.count == 2 * grid.columns)
        }
        let memorised = try #require(result.numbers["exact_memorised_fraction"])
        let scale = try #require(result.numbers["data_median_leave_one_out_nn_distance"])
        #expect(memorised.isFinite && scale.isFinite && scale > 0)
        let learned = result.numbers["learned_median_nn_distance"] ?? .infinity
        let passed = [memorised >= 0.9, learned <= scale].filter { $0 }.count
        #expect(result.verdict == (passed == 2 ? .holds : (passed == 1 ? .partlyHolds : .doesNotHold)))
    }

    @Test("leave-one-out nearest-neighbour distances on points with known spacing")
    func leaveOneOut() {
        let points = Matrix<Double>(rowArrays: [[0, 0], [3, 4], [3, 4.5], [-1, 0]])
        let d = K5DigitsEquilibria.leaveOneOutDistances(points)
        #expect(zip(d, [1, 0.5, 0.5, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
