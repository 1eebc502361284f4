import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("W1 teleportation exactness")
struct W1Tests {
    static let context = ExperimentContext(quick: true, seed: 7, cacheFolder: FileManager.default.temporaryDirectory)

    @Test("the closed form matches Heun, rk45 and the ξ formula: an exact claim must hold")
    func holds() throws {
        let result = try W1TeleportationExactness(dimension: 12, rank: 7, heunSteps: 2000, sampleCount: 4).run(Self.context)
        #expect(result.id == "W1")
        #expect(result.verdict == .holds)
        let heun = try #require(result.numbers["worst_relative_error_vs_heun"])
        let xi = try #require(result.numbers["worst_relative_error_xi"])
        #expect(heun.isFinite && heun < 1e-6)
        #expect(xi < 1e-10)
        #expect(result.numbers[result.keyNumber] != nil)
        guard case .plot(let plot) = try #require(result.figures.first) else { Issue.record("expected a plot"); return }
        #expect(plot.series.count == 3)
        #expect(plot.series.allSatisfy { $0.x.count == W1TeleportationExactness.sigmaSkips.count })
    }

    @Test("a Heun run too coarse to be exact is detected as a larger error")
    func coarseHeunDiffers() throws {
        let result = try W1TeleportationExactness(dimension: 12, rank: 7, heunSteps: 5, sampleCount: 4).run(Self.context)
        let heun = try #require(result.numbers["worst_relative_error_vs_heun"])
        #expect(heun > 1e-6)
        #expect(result.verdict != .holds)
    }
}
