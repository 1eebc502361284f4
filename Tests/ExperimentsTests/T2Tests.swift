import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("T2 schedule crossover")
struct T2Tests {
    @Test("a tiny run has finite numbers, one figure per score and a verdict that follows its numbers")
    func structure() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-t2tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let steps = [2, 4, 8]
        let result = try T2ScheduleCrossover(stepCounts: steps, sampleCount: 100, trainingSteps: 30, width: 8)
            .run(ExperimentContext(quick: true, seed: 2, cacheFolder: cache))
        #expect(result.id == "T2")
        // exact, two blends, the network at its only checkpoint (30 < 200).
        #expect(result.figures.count == 4)
        #expect(result.numbers.values.allSatisfy { $0.isFinite })
        func kl(_ score: String, _ grid: String, _ n: Int) throws -> Double { try #require(result.numbers["kl_em_\(score)_\(grid)_N\(n)"]) }
        let exact = try steps.map { n in try ["geometric", "rho3", "rho7"].map { try kl("exact", $0, n) } }
        let geometricWins = exact[0][0] < min(exact[0][1], exact[0][2])
            && 2 * exact.filter { $0[0] < min($0[1], $0[2]) }.count > steps.count
        // The network check needs the 200-step checkpoint, which this run does not have.
        let blend = try steps.map { n in try ["geometric", "rho3", "rho7"].map { try kl("blend_0.2", $0, n) } }
        let polynomialWins = 2 * blend.filter { min($0[1], $0[2]) < $0[0] }.count > steps.count
        let passed = [geometricWins, polynomialWins].filter { $0 }.count
        #expect(result.verdict == (passed > 0 ? .partlyHolds : .doesNotHold))
    }

    @Test("the histogram KL of many exact samples against the exact density is ≈ 0; shifted samples give a large KL")
    func histogramOfExactSamples() throws {
        let ring = try IsotropicMixture<Double>.ring()
        // Coarse cells so that the (occupied cells)/(2n) bias is small: 30×30 cells, 40,000 samples.
        let histogram = try RingHistogramKL(mixture: ring, side: 30, halfWidth: 3)
        let exact = histogram.kl(ring.sample(count: 40000, seed: 9).points)
        #expect(exact >= 0 && exact < 0.01)
        let shifted = ring.sample(count: 40000, seed: 9).points.addingToRows([0.3, 0])
        #expect(histogram.kl(shifted) > 1)
    }

    @Test("cell masses: they sum to 1 with the outside cell, and one cell's mass matches a midpoint-rule integral of the density")
    func cellMasses() throws {
        let ring = try IsotropicMixture<Double>.ring()
        let histogram = try RingHistogramKL(mixture: ring, side: 10, halfWidth: 3)
        #expect(abs(histogram.masses.reduce(0, +) - 1) < 1e-12)
        // The cell holding the mean (2, 0): x ∈ [1.8, 2.4), y ∈ [0, 0.6).
        let cell = histogram.cell(2.0, 0.01)
        let (x0, y0, h, k) = (1.8, 0.0, 0.6, 600)
        var integral = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let (x, y) = (x0 + (Double(i) + 0.5) * h / Double(k), y0 + (Double(j) + 0.5) * h / Double(k))
                for m in 0..<8 {
                    let (dx, dy) = (x - ring.means[m, 0], y - ring.means[m, 1])
                    integral += ring.weights[m] * Foundation.exp(-(dx * dx + dy * dy) / (2 * 0.01)) / (2 * Double.pi * 0.01)
                }
            }
        }
        integral *= (h / Double(k)) * (h / Double(k))
        #expect(abs(histogram.masses[cell] - integral) < 1e-5 * integral)
        #expect(histogram.cell(3.5, 0) == 100 && histogram.cell(.nan, 0) == 100)
    }

    @Test("the blend is (1 − α) D_a + α D_b")
    func blend() throws {
        let a = try GaussianDenoiser<Double>.isotropic(mean: [1, 2], variance: 0.5)
        let b = try GaussianDenoiser<Double>.isotropic(mean: [-3, 0], variance: 2)
        let x = Matrix<Double>(rowArrays: [[0.4, -0.2], [5, 1]])
        let blended = try BlendedDenoiser(a, b, alpha: 0.25).denoise(x, sigma: 0.8)
        // Wiener filters written out: m + λ/(λ + σ²)(x − m).
        for i in 0..<2 {
            for j in 0..<2 {
                let da = [1.0, 2][j] + 0.5 / (0.5 + 0.64) * (x[i, j] - [1.0, 2][j])
                let db = [-3.0, 0][j] + 2 / (2 + 0.64) * (x[i, j] - [-3.0, 0][j])
                #expect(abs(blended[i, j] - (0.75 * da + 0.25 * db)) < 1e-12)
            }
        }
        #expect(throws: (any Error).self) { try BlendedDenoiser(a, b, alpha: 1.5) }
    }
}
