import Foundation
import Testing
@testable import ScoreKitTraining

@Suite struct LossTests {
    /// L(θ) of a fixed noised batch, through the whole network denoiser.
    func loss(_ model: NetworkDenoiser<Double>, x: Matrix<Double>, clean: Matrix<Double>, sigmas: [Double],
              weighting: LossWeighting) throws -> Double {
        let pass = try model.forward(x, sigmas: sigmas)
        return DenoisingScoreMatchingLoss(denoised: pass.denoised, clean: clean, sigmas: sigmas, weighting: weighting).value
    }

    /// 5 rows are one padded block; 150 rows are three blocks (`RowBlocks`) whose gradients are
    /// summed, the last padded.
    @Test(arguments: [NetworkParameterization.preconditioned(.edmDefault), .multiplicative, .denoised, .preconditioned(.epsilon)],
          [5, 150])
    func parameterGradientMatchesFiniteDifferences(_ parameterization: NetworkParameterization, rows: Int) throws {
        var generator = PhiloxGenerator(seed: 3)
        let net = try MLPDenoiserNet<Double>(tinyModel(dimension: 3, width: 6, noise: parameterization.needsNoiseInput),
                                             using: &generator)
        let model = try NetworkDenoiser(network: net, parameterization: parameterization)
        let clean = gaussianData(rows: rows, mean: [0.3, -0.2, 0.1], std: 0.5)
        let sigmas = (0..<rows).map { [0.05, 0.3, 1.0, 2.5, 9.0][$0 % 5] }
        let noise: Matrix<Double> = CounterNormalRNG(seed: 4).normals(rows: rows, columns: 3, draw: 0)
        let x = clean + noise.scalingRows(by: sigmas)
        let weighting = LossWeighting.edm(sigmaData: 0.5)
        let pass = try model.forward(x, sigmas: sigmas)
        let dsm = DenoisingScoreMatchingLoss(denoised: pass.denoised, clean: clean, sigmas: sigmas, weighting: weighting)
        let gradients = try model.backward(dsm.gradient, pass: pass)
        let parameters = net.parameters
        var checked = 0
        for (k, p) in parameters.enumerated() {
            for i in Set([0, p.value.count / 2, p.value.count - 1]) {
                let h = 1e-6
                var plus = parameters, minus = parameters
                plus[k].value.scalars[i] += h
                minus[k].value.scalars[i] -= h
                var mp = model, mm = model
                try mp.load(parameters: plus)
                try mm.load(parameters: minus)
                let numeric = (try loss(mp, x: x, clean: clean, sigmas: sigmas, weighting: weighting)
                               - loss(mm, x: x, clean: clean, sigmas: sigmas, weighting: weighting)) / (2 * h)
                let analytic = gradients[k].value.scalars[i]
                #expect(abs(numeric - analytic) <= 1e-6 * max(1, abs(numeric)), "\(p.name)[\(i)]: \(analytic) vs \(numeric)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test func denoiserGradientMatchesFiniteDifferences() {
        let clean = gaussianData(rows: 4, mean: [1, 2], std: 1)
        let denoised = gaussianData(rows: 4, mean: [1, 2], std: 1, seed: 5)
        let sigmas = [0.1, 0.7, 3, 20.0]
        for weighting in [LossWeighting.edm(sigmaData: 0.5), .inverseVariance, .uniform, .minSNR(gamma: 5)] {
            let g = DenoisingScoreMatchingLoss(denoised: denoised, clean: clean, sigmas: sigmas, weighting: weighting).gradient
            for i in 0..<denoised.count {
                let h = 1e-6
                var plus = denoised, minus = denoised
                plus.scalars[i] += h
                minus.scalars[i] -= h
                let numeric = (DenoisingScoreMatchingLoss(denoised: plus, clean: clean, sigmas: sigmas, weighting: weighting).value
                               - DenoisingScoreMatchingLoss(denoised: minus, clean: clean, sigmas: sigmas, weighting: weighting).value) / (2 * h)
                #expect(abs(numeric - g.scalars[i]) <= 1e-6 * max(1, abs(numeric)))
            }
        }
    }

    @Test func weightingsMatchTheirFormulas() throws {
        // EDM λ = 1/c_out² of the EDM preconditioning (computed by the Diffusion layer).
        for sigma in [0.002, 0.1, 0.5, 3, 80.0] {
            let expected: Double = Preconditioning.edm(sigmaData: 0.5).lossWeight(sigma: sigma)
            #expect(abs(LossWeighting.edm(sigmaData: 0.5).weight(sigma: sigma) / expected - 1) < 1e-12)
            #expect(LossWeighting.inverseVariance.weight(sigma: sigma) == 1 / (sigma * sigma))
            #expect(LossWeighting.uniform.weight(sigma: sigma) == 1)
        }
        #expect(LossWeighting.edm(sigmaData: 0.5).weight(sigma: 0.5) == 8)   // (0.25 + 0.25)/(0.25 · 0.25)
        #expect(LossWeighting.minSNR(gamma: 5).weight(sigma: 0.1) == 5)        // SNR = 100 clipped at γ
        #expect(LossWeighting.minSNR(gamma: 5).weight(sigma: 2) == 0.25)       // SNR = 1/4 below γ
        #expect(throws: TrainingError.self) { try LossWeighting.minSNR(gamma: 0).validate() }
        #expect(throws: TrainingError.self) { try LossWeighting.edm(sigmaData: -1).validate() }
    }

    /// For x₀ ~ N(μ, s² I) the exact denoiser is D = μ + s²/(s² + σ²)(x − μ) with error variance
    /// s²σ²/(s² + σ²) per dimension; under EDM's λ with σ_d = s the expected loss is exactly 1 at
    /// every σ. A perturbed denoiser must do worse on the same draws.
    @Test func exactGaussianDenoiserHasTheClosedFormLossAndBeatsPerturbedOnes() {
        let (s, d, n) = (0.5, 4, 20_000)
        let mu = [0.3, -1, 0.5, 2]
        let clean = gaussianData(rows: n, mean: mu, std: s)
        let rng = CounterNormalRNG(seed: 11)
        let z: Matrix<Double> = rng.normals(rows: n, columns: 1, draw: 1)
        let sigmas = z.scalars.map { NoiseDistribution.edm.sigma(uniform: 0.5, normal: $0) }
        let eps: Matrix<Double> = rng.normals(rows: n, columns: d, draw: 0)
        let x = clean + eps.scalingRows(by: sigmas)
        func denoiser(shrinkScale: Double, shift: Double) -> Matrix<Double> {
            let shrink = sigmas.map { shrinkScale * s * s / (s * s + $0 * $0) }
            return x.addingToRows(mu.map { -$0 }).scalingRows(by: shrink).addingToRows(mu.map { $0 + shift })
        }
        let weighting = LossWeighting.edm(sigmaData: s)
        let exact = DenoisingScoreMatchingLoss(denoised: denoiser(shrinkScale: 1, shift: 0), clean: clean, sigmas: sigmas,
                                               weighting: weighting).value
        #expect(abs(exact - 1) < 0.03)   // standard error √(2/d / n) ≈ 0.005
        for (scale, shift) in [(1.1, 0.0), (0.9, 0.0), (1.0, 0.05)] {
            let perturbed = DenoisingScoreMatchingLoss(denoised: denoiser(shrinkScale: scale, shift: shift), clean: clean,
                                                       sigmas: sigmas, weighting: weighting).value
            #expect(perturbed > exact + 1e-3, "scale \(scale), shift \(shift): \(perturbed) vs \(exact)")
        }
    }

    @Test func bucketsAreLogSpacedAndClamped() throws {
        let b = try SigmaBuckets(minimum: 0.01, maximum: 100, count: 4)
        let edges = b.edges
        for (e, expected) in zip(edges, [0.01, 0.1, 1, 10, 100]) { #expect(abs(e / expected - 1) < 1e-12) }
        #expect(b.index(of: 0.001) == 0)
        #expect(b.index(of: 0.05) == 0)
        #expect(b.index(of: 0.5) == 1)
        #expect(b.index(of: 5) == 2)
        #expect(b.index(of: 50) == 3)
        #expect(b.index(of: 1e6) == 3)
        #expect(throws: TrainingError.self) { try SigmaBuckets(minimum: 1, maximum: 1, count: 3) }
    }
}
