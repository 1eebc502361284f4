import Foundation
import Testing
import ScoreKitIO
@testable import ScoreKitAnalysis

@Suite("Bundled digit classifier")
struct DigitClassifierTests {
    @Test("classifies the held-out digits (rows 0, 5, 10, …) with accuracy ≥ 0.9")
    func heldOutAccuracy() throws {
        let digits = try Digits<Float>.load()
        let held = Array(stride(from: 0, to: digits.images.rows, by: 5))
        let classifier = try FeatureClassifier<Float>.bundledDigits()
        #expect(classifier.inputDimension == 64 && classifier.featureDimension == 64 && classifier.classCount == 10)
        let accuracy = try classifier.accuracy(digits.images.rows(at: held), labels: held.map { digits.labels[$0] })
        #expect(accuracy >= 0.9)
    }

    @Test("FD of the digits against themselves is 0 and grows with added noise")
    func frechetDistanceGrowsWithNoise() throws {
        let digits = try Digits<Double>.load().images
        let classifier = try FeatureClassifier<Double>.bundledDigits()
        #expect(try Metrics.classifierFrechetDistance(digits, digits, classifier: classifier) < 1e-6)
        let z = CounterNormalRNG(seed: 9).normals(rows: digits.rows, columns: 64, draw: 0, as: Double.self)
        let distances = try [0.1, 0.3, 0.6, 1.0].map { s in
            try Metrics.classifierFrechetDistance(digits.linearCombination(1, s, z), digits, classifier: classifier)
        }
        #expect(distances[0] > 1e-3)
        #expect(zip(distances, distances.dropFirst()).allSatisfy { $0 < $1 }, "\(distances)")
    }
}

@Suite("Probability-flow ODE likelihood")
struct ProbabilityFlowLikelihoodTests {
    /// N(μ, Σ) in d = 3 with a rotated (non-diagonal) covariance.
    func model() throws -> (GaussianDenoiser<Double>, [Double], Matrix<Double>) {
        let mean = [0.7, -0.4, 1.1]
        let (denoiser, covariance) = try rotatedGaussian([2.0, 0.5, 0.1], mean: mean, seed: 4)
        return (denoiser, mean, covariance)
    }

    /// log N(x; μ, C) through the eigendecomposition of C.
    func exactLogDensity(_ x: Matrix<Double>, mean: [Double], covariance c: Matrix<Double>) throws -> [Double] {
        let e = try c.symmetricEigen()
        let d = Double(mean.count)
        let logDet = e.values.reduce(0) { $0 + log($1) }
        return (0..<x.rows).map { r in
            let quadratic = e.values.indices.reduce(0.0) { acc, k in
                let p = (0..<mean.count).reduce(0.0) { $0 + e.vectors[$1, k] * (x[r, $1] - mean[$1]) }
                return acc + p * p / e.values[k]
            }
            return -0.5 * (d * log(2 * Double.pi) + logDet + quadratic)
        }
    }

    @Test("for a Gaussian the exact-divergence NLL is that of N(μ, Σ + σ_min² I) to 1e-4")
    func gaussianExact() throws {
        let (denoiser, mean, covariance) = try model()
        let sigmaMin = 0.01
        let smoothed = covariance + Matrix<Double>(rows: 3, columns: 3) { i, j in i == j ? sigmaMin * sigmaMin : 0 }
        let x = try gaussianSamples(mean: mean, covariance: smoothed, count: 12, seed: 5)
        // σ_max = 1e5 makes the prior's mismatch with p_{σ_max} = N(μ, Σ + σ_max² I), of order
        // |μ|/σ_max, about 1e-5.
        let logp = try ProbabilityFlowLikelihood.logLikelihood(
            denoiser, x, options: .init(sigmaMin: sigmaMin, sigmaMax: 1e5, steps: 256, divergence: .exact))
        let exact = try exactLogDensity(x, mean: mean, covariance: smoothed)
        for (a, b) in zip(logp, exact) { #expect(abs(a - b) < 1e-4, "\(a) vs \(b)") }
    }

    @Test("Hutchinson's estimate is unbiased: its mean error over 400 points is within 4 standard errors of 0")
    func hutchinsonUnbiased() throws {
        let (denoiser, mean, covariance) = try model()
        let x = try gaussianSamples(mean: mean, covariance: covariance, count: 400, seed: 6)
        let options = ProbabilityFlowLikelihood.Options(sigmaMin: 0.01, sigmaMax: 100, steps: 24, divergence: .exact)
        var noisy = options
        noisy.divergence = .hutchinson(probes: 1, seed: 7)
        let exact = try ProbabilityFlowLikelihood.logLikelihood(denoiser, x, options: options)
        let estimate = try ProbabilityFlowLikelihood.logLikelihood(denoiser, x, options: noisy)
        let errors = zip(estimate, exact).map { $0 - $1 }
        let m = errors.reduce(0, +) / Double(errors.count)
        let sd = (errors.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(errors.count - 1)).squareRoot()
        #expect(sd > 0.01)  // the probes matter: Σ is not diagonal
        #expect(abs(m) < 4 * sd / Double(errors.count).squareRoot(), "mean \(m), sd \(sd)")
    }

    @Test("bad options are refused")
    func badOptions() throws {
        let (denoiser, _, _) = try model()
        let x = Matrix<Double>(rows: 2, columns: 3)
        #expect(throws: AnalysisError.self) {
            try ProbabilityFlowLikelihood.logLikelihood(denoiser, x, options: .init(sigmaMin: 1, sigmaMax: 0.5))
        }
        #expect(throws: AnalysisError.self) {
            try ProbabilityFlowLikelihood.logLikelihood(denoiser, Matrix<Double>(rows: 2, columns: 2))
        }
    }
}
