import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("W5 coarse-to-fine")
struct W5Tests {
    @Test("Spearman's correlation matches scipy, with ties")
    func spearman() {
        #expect(abs(W5CoarseToFine.spearman([3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8]) - 0.19885368120992467) < 1e-12)
        #expect(W5CoarseToFine.spearman([1, 2, 3], [10, 20, 30]) == 1)
        #expect(W5CoarseToFine.spearman([1, 2, 3], [3, 2, 1]) == -1)
    }

    /// On the Gaussian's own flow the fixing σ follows 0.48 √λ_k and the order is exactly the λ order.
    @Test("the Gaussian flow reproduces the Gaussian prediction")
    func gaussianFlow() throws {
        let train = try TrainedDigitsModel.split(TinyDigits.configuration()).train
        let gaussian = try GaussianDenoiser(fitting: train)
        let xT = CounterNormalRNG(seed: 2).normals(rows: 32, columns: 64, draw: 0, as: Double.self) * 80
        let sigmas = try Schedule<Double>.karras(steps: 64, sigmaMin: 0.002, sigmaMax: 80).sigmas
        let c = try W5CoarseToFine.fixing(gaussian, xT: xT, sigmas: sigmas, gaussian: gaussian, components: 8)
        let ratios = zip(c.fixSigma, c.predictedSigma).map { $0 / $1 }
        #expect(ratios.allSatisfy { $0 > 0.9 && $0 < 1.1 })
        #expect(W5CoarseToFine.spearman(c.eigenvalues, c.fixSigma) > 0.99)
    }

    @Test("a small run is finite and its verdict follows its numbers")
    func smallRun() throws {
        let context = TinyDigits.context()
        defer { try? FileManager.default.removeItem(at: context.cacheFolder) }
        let r = try W5CoarseToFine(model: TinyDigits.configuration(), sampleCount: 8, components: 6).run(context)
        #expect(r.id == "W5" && r.figures.count == 2)
        let n = r.numbers
        let lambda = (1...6).map { n["pc_\($0).lambda"]! }, measured = (1...6).map { n["pc_\($0).sigma90_network"]! }
        #expect((lambda + measured).allSatisfy { $0.isFinite })
        #expect(abs(W5CoarseToFine.spearman(lambda, measured) - n["spearman_lambda_vs_sigma90"]!) < 1e-12)
        let a = n["spearman_lambda_vs_sigma90"]! >= 0.8
        let ratio = n["median_measured_over_predicted"]!
        let b = ratio >= 1.0 / 3 && ratio <= 3
        #expect(r.verdict == (a && b ? .holds : (a || b ? .partlyHolds : .doesNotHold)))
    }
}
