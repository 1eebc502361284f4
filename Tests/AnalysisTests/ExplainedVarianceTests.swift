import Foundation
import Testing
@testable import ScoreKitAnalysis

@Suite("Gaussian score approximation (Wang & Vastola)")
struct ExplainedVarianceTests {
    let spectrum = [8.0, 4, 2, 1, 0.5, 0.25]
    let sigmas: [Double] = [0.05, 0.2, 0.5, 1, 2, 5, 20]

    @Test("a Gaussian explains all of a Gaussian reference at every σ")
    func gaussianExplainsGaussian() throws {
        let mean = [1.0, -1, 0, 2, 0.5, 0]
        let (gaussian, covariance) = try rotatedGaussian(spectrum, mean: mean, seed: 1)
        // The reference is the same law through the mixture code (one component).
        let reference = try GaussianMixtureDenoiser(weights: [1], means: Matrix(row: mean), covariances: [covariance])
        let data = try gaussianSamples(mean: mean, covariance: covariance, count: 300, seed: 2)
        let points = try NoisedData(data: data, count: 300, seed: 3)
        let curves = try ExplainedVariance.curves(reference: reference, candidates: [NamedDenoiser("gaussian", gaussian)],
                                                  points: points, sigmas: sigmas)
        #expect(curves.count == 1 && curves[0].sigmas == sigmas)
        #expect(curves[0].pooled.allSatisfy { abs($0 - 1) < 1e-10 })
        #expect(curves[0].perSample.allSatisfy { abs($0 - 1) < 1e-10 })
    }

    @Test("in Float, a Gaussian explains a Gaussian reference to Float precision")
    func gaussianExplainsGaussianInFloat() throws {
        let mean: [Double] = [0, 1, 0, -1, 0, 0]
        let (_, covariance) = try rotatedGaussian(spectrum, mean: mean, seed: 1)
        let c = covariance.converted(to: Float.self)
        let gaussian = try GaussianDenoiser(mean: mean.map { Float($0) }, covariance: c)
        let reference = try GaussianMixtureDenoiser(weights: [Float(1)], means: Matrix(row: mean.map { Float($0) }),
                                                    covariances: [c])
        let data = try gaussianSamples(mean: mean, covariance: covariance, count: 200, seed: 2).converted(to: Float.self)
        let points = try NoisedData(data: data, count: 200, seed: 3)
        let curve = try ExplainedVariance.curves(reference: reference, candidates: [NamedDenoiser("gaussian", gaussian)],
                                                 points: points, sigmas: sigmas.map { Float($0) })[0]
        #expect(curve.pooled.allSatisfy { abs($0 - 1) < 1e-4 })
    }

    @Test("the low-rank Gaussian explains more with every added direction, as the closed form says")
    func lowRankRisesWithRank() throws {
        let mean = [Double](repeating: 0, count: 6)
        let (gaussian, covariance) = try rotatedGaussian(spectrum, mean: mean, seed: 4)
        let data = try gaussianSamples(mean: mean, covariance: covariance, count: 4000, seed: 5)
        let points = try NoisedData(data: data, count: 4000, seed: 6)
        let candidates = try (0...6).map { NamedDenoiser("rank \($0)", try gaussian.lowRank($0)) }
        let curves = try ExplainedVariance.curves(reference: gaussian, candidates: candidates, points: points, sigmas: [0.5, 1, 2])
        for (s, sigma) in [0.5, 1.0, 2.0].enumerated() {
            let values = curves.map { $0.pooled[s] }
            // Rank d − 1 is already exact: one dropped direction is its own isotropic remainder.
            #expect(zip(values.prefix(6), values.prefix(6).dropFirst()).allSatisfy { $0 < $1 })
            #expect(abs(values[5] - 1) < 1e-12 && abs(values[6] - 1) < 1e-12)
            // Population value for x ~ N(0, Σ + σ²I): E‖D − D̂_k‖² = Σ_{j>k} (a_j − b_k)² (λ_j + σ²),
            // Var D = Σ_j a_j² (λ_j + σ²), a_j = λ_j/(λ_j + σ²), b_k = ρ_k/(ρ_k + σ²), ρ_k the mean dropped λ.
            let s2 = sigma * sigma
            let a = spectrum.map { $0 / ($0 + s2) }
            let variance = zip(a, spectrum).reduce(0) { $0 + $1.0 * $1.0 * ($1.1 + s2) }
            for k in 0..<6 {
                let rho = spectrum[k...].reduce(0, +) / Double(6 - k)
                let b = rho / (rho + s2)
                let error = (k..<6).reduce(0) { $0 + (a[$1] - b) * (a[$1] - b) * (spectrum[$1] + s2) }
                #expect(abs(values[k] - (1 - error / variance)) < 0.03)
            }
        }
    }

    @Test("the teleportation σ found by bisection matches a dense scan")
    func teleportationSigma() throws {
        // Two well separated clusters: the moment-matched Gaussian is good only at large σ.
        let means = Matrix<Double>(rowArrays: [[-3, 0, 0], [3, 0, 0]])
        let covariances = [Matrix<Double>.identity(3) * 0.3, Matrix<Double>.identity(3) * 0.3]
        let mixture = try GaussianMixtureDenoiser(weights: [0.5, 0.5], means: means, covariances: covariances)
        let first = try gaussianSamples(mean: [-3, 0, 0], covariance: covariances[0], count: 200, seed: 7)
        let second = try gaussianSamples(mean: [3, 0, 0], covariance: covariances[1], count: 200, seed: 8)
        let data = Matrix.vstack([first, second])
        // The Gaussian with the mixture's own mean and covariance (a fit to the sample would differ
        // in the mean by O(1/√N), which dominates D's tiny variance at large σ).
        let gaussian = try GaussianDenoiser(mean: [0, 0, 0],
                                            covariance: Matrix(rowArrays: [[9.3, 0, 0], [0, 0.3, 0], [0, 0, 0.3]]))
        let points = try NoisedData(data: data, count: 400, seed: 9)
        let grid: [Double] = [80, 40, 20, 10, 5, 2, 1, 0.5, 0.2]
        let result = try TeleportationSigma(reference: mixture, candidate: gaussian, points: points, grid: grid)
        let sigma = try #require(result.sigma)
        #expect(!result.belowGrid)
        let dense = (0...300).map { 0.2 * pow(400.0, Double($0) / 300) }  // 0.2 … 80, steps of 2 %
        let curve = try ExplainedVariance.curves(reference: mixture, candidates: [NamedDenoiser("g", gaussian)],
                                                 points: points, sigmas: dense)[0].pooled
        let lowestPassing = try #require(curve.indices.first { i in curve[i...].allSatisfy { $0 >= 0.99 } })
        #expect(sigma <= dense[lowestPassing] && sigma > dense[lowestPassing - 1])
        #expect(result.gridExplainedVariance.dropLast().allSatisfy { $0 >= 0.99 })
    }

    @Test("eigen-directions of Gaussian data are fixed in order of λ, at σ = 0.4843 √λ")
    func coarseToFine() throws {
        let spectrum = [16.0, 4, 1, 0.25]
        let (gaussian, _) = try rotatedGaussian(spectrum, mean: [1, 0, -1, 0], seed: 10)
        let sigmas = try Schedule<Double>.karras(steps: 400, sigmaMin: 0.002, sigmaMax: 40).sigmas
        let start = CounterNormalRNG(seed: 12).normals(rows: 16, columns: 4, draw: 0, as: Double.self) * 40
        var noise = NoNoise<Double>()
        let record = try SamplerName.kdiffusion(.heun).record(gaussian, from: start, sigmas: sigmas, noise: &noise)
        let result = try CoarseToFine(record, gaussian: gaussian, components: 4)
        #expect(result.order == [0, 1, 2, 3])
        #expect(abs(result.predictedSigma[0] - 4 * (1 / 0.81 - 1).squareRoot()) < 1e-12)
        for (got, want) in zip(result.fixSigma, result.predictedSigma) { #expect(abs(got / want - 1) < 0.02) }
    }
}
