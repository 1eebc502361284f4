import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("K1 equilibria of the exact multiplicative field")
struct K1Tests {
    @Test("a tiny 2-D run finds equilibria near the data, with figures and numbers consistent with its verdict")
    func structure() throws {
        let experiment = K1ExactFieldEquilibria(
            configurations: [.init(data: .randomPoints(count: 3, dimension: 2), levelCount: 5)], gridSide: 5, sampleCount: 3)
        let result = try experiment.run(ExperimentContext(quick: true, seed: 11, cacheFolder: FileManager.default.temporaryDirectory))
        #expect(result.id == "K1")
        #expect(result.numbers.values.allSatisfy { $0.isFinite })
        let offset = try #require(result.numbers["config0_worst_equilibrium_offset"])
        let rate = try #require(result.numbers["worst_rate_error"])
        let endpoints = try #require(result.numbers["worst_endpoint_fraction"])
        let stable = try #require(result.numbers["config0_stable_equilibria"])
        // Three well separated points: at least one stable equilibrium per point.
        #expect(stable >= 3)
        let passes = [offset <= 1e-3, rate <= 0.2, endpoints == 1]
        let expected: Verdict = passes.allSatisfy { $0 } ? .holds : (passes.contains(true) ? .partlyHolds : .doesNotHold)
        #expect(result.verdict == expected)
        // Phase portrait (trajectories + points) and basins, both with equal axes.
        #expect(result.figures.count == 2)
        for figure in result.figures {
            guard case .plot(let plot) = figure else { Issue.record("expected plots"); continue }
            #expect(plot.equalAspect)
        }
    }

    @Test("an equilibrium sits next to each training point: f* vanishes there to the Newton tolerance")
    func equilibriumIsAZeroOfTheField() throws {
        let data = K1ExactFieldEquilibria.data(.randomPoints(count: 3, dimension: 2), seed: 4)
        let levels = try ExactMath.geometricLevels(count: 5, sigmaMax: 10, sigmaMin: 0.01)
        let field = try MultiplicativeOptimalField(base: try EmpiricalDenoiser(data: data), levels: levels)
        let equilibria = try EquilibriumSearch.run(VectorField(field), starts: data, trainingData: data)
        for e in equilibria {
            let f = try field.field(Matrix(row: e.point))
            #expect(f.maxAbs() <= 1e-8)
            // Linearisation at a data point: J ≈ −I/σ_min, so the rate is within 20 % of 100.
            if e.stability == .stable, let top = e.eigenvalues.last { #expect(abs(top * 0.01 + 1) <= 0.2) }
        }
    }
}
