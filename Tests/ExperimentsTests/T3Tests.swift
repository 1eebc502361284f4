import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("T3 bound sanity")
struct T3Tests {
    static let context = ExperimentContext(quick: true, seed: 3, cacheFolder: FileManager.default.temporaryDirectory)

    @Test("the quick run has finite numbers consistent with its verdict")
    func structure() throws {
        let result = try T3BoundSanity(dimensions: [2, 8], stepCounts: [10, 40, 160], sigmaMaxima: [5, 20, 80]).run(Self.context)
        #expect(result.id == "T3")
        #expect(result.figures.count == 2)
        #expect(result.numbers.values.allSatisfy { $0.isFinite })
        let slope = try #require(result.numbers["initialisation_slope"])
        let worst = try #require(result.numbers["worst_slope_in_N"])
        if result.verdict == .holds { #expect(worst <= -0.9 && (-2.3 ... -1.7).contains(slope)) }
        #expect(try #require(result.numbers["library_euler_vs_closed_form"]) < 1e-12)
    }

    @Test("the initialisation KL equals KL(N(μ, Σ + σ_max² I) ‖ N(0, σ_max² I)) (the flow preserves KL)")
    func initialisationMatchesStartKL() {
        let data = T3BoundSanity.Data(spectrum: [0.5, 0.02], mean: [1.3, -0.4])
        let s2 = 10.0 * 10.0
        // KL(N(m, P) ‖ N(0, Q)) per coordinate, written from the start distributions.
        let direct = zip(data.spectrum, data.mean).reduce(0.0) { acc, pair in
            let (p, q) = (pair.0 + s2, s2)
            return acc + 0.5 * (p / q - 1 - log(p / q) + pair.1 * pair.1 / q)
        }
        let viaFlow = T3BoundSanity.initialisationKL(data, sigmaMax: 10)
        #expect(abs(viaFlow - direct) <= 1e-12 * direct)
    }

    @Test("the Euler–Maruyama variance recursion matches a Monte Carlo run of ScoreKit's euler_maruyama sampler")
    func stochasticRecursionMatchesSampler() throws {
        let lambda = 0.3, n = 4000
        let grid = try T3BoundSanity.grid(steps: 6, sigmaMax: 5)
        let gaussian = try GaussianDenoiser<Double>(mean: [0], covariance: Matrix(rows: 1, columns: 1, scalars: [lambda]))
        let start = CounterNormalRNG(seed: 1).normals(rows: n, columns: 1, draw: 0, as: Double.self) * (lambda + 25).squareRoot()
        var noise = try BrownianTreeNoiseSource<Double>(seed: 2, sigmaMin: grid[grid.count - 1], sigmaMax: grid[0])
        let sampler = try #require(SamplerName(rawValue: "euler_maruyama"))
        let out = try sampler.sample(SamplingModel(gaussian), from: start, sigmas: grid, noise: &noise)
        let variance = out.scalars.reduce(0.0) { $0 + $1 * $1 } / Double(n)
        var v = lambda + 25
        for (s, t) in zip(grid, grid.dropFirst()) {
            let a = 1 - (s * s - t * t) / (lambda + s * s)
            v = a * a * v + s * s - t * t
        }
        // Monte Carlo standard error of a variance estimate: v √(2/n) ≈ 2.2 % of v.
        #expect(abs(variance - v) <= 0.1 * v)
    }
}
