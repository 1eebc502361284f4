import Foundation
import Testing
@testable import ScoreKitTraining

@Suite struct TrainerTests {
    /// A few hundred Adam steps on 2-D Gaussian data bring the EMA denoiser close to the exact one,
    /// D*(x; σ) = μ + s²/(s² + σ²)(x − μ), at mid σ.
    @Test func learnsTheGaussianDenoiser() throws {
        let (mu, s) = ([1.0, -0.5], 0.5)
        let data = gaussianData(rows: 1024, mean: mu, std: s)
        var config = try configuration(dimension: 2, steps: 400, batch: 128, learningRate: 3e-3, width: 32, depth: 1)
        config.noiseDistribution = .logNormal(mean: -0.5, standardDeviation: 0.8)
        var trainer = try Trainer(configuration: config, data: data)
        let log = try trainer.trainToEnd()
        #expect(log.losses.count == 400)
        let early = log.losses.prefix(20).reduce(0, +) / 20, late = log.losses.suffix(50).reduce(0, +) / 50
        #expect(late < early)
        let model = try trainer.emaDenoiser
        let test = gaussianData(rows: 200, mean: mu, std: 1.0, seed: 123)
        for sigma in [0.3, 0.6, 1.0] {
            let exact = test.addingToRows(mu.map { -$0 }).map { $0 * s * s / (s * s + sigma * sigma) }.addingToRows(mu)
            let learned = try model.denoise(test, sigma: sigma)
            let error = (learned - exact).norm() / (exact.addingToRows(mu.map { -$0 })).norm()
            #expect(error < 0.25, "σ = \(sigma): relative error \(error)")
        }
        #expect(log.buckets.counts.reduce(0, +) == 400 * 128)
    }

    /// 20 steps in one go equal 10 steps, a checkpoint file, a reload and 10 more: same losses,
    /// same weights, same EMA, same optimizer state.
    @Test(arguments: [false, true])
    func resumingIsBitForBit(inFloat: Bool) throws {
        if inFloat { try resumeEquality(Float.self) } else { try resumeEquality(Double.self) }
    }

    func resumeEquality<S: MatrixScalar>(_: S.Type) throws {
        let data: Matrix<S> = gaussianData(rows: 50, mean: [0, 1, 2], std: 1).converted()
        let config = try configuration(dimension: 3, steps: 20, batch: 16)
        var whole = try Trainer(configuration: config, data: data)
        let wholeLosses = try whole.trainToEnd().losses

        var first = try Trainer(configuration: config, data: data)
        let firstLosses = try first.train(steps: 10).losses
        let url = temporaryURL("resume.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try first.checkpoint.write(to: url)
        var second = try Trainer(resuming: try Checkpoint<S>.read(from: url), data: data)
        #expect(second.step == 10)
        let secondLosses = try second.trainToEnd().losses

        #expect(firstLosses + secondLosses == wholeLosses)
        #expect(second.model.network.stateDict == whole.model.network.stateDict)
        #expect(second.ema.average == whole.ema.average)
        #expect(second.optimizer.state == whole.optimizer.state)
    }

    @Test func invalidRunsAreRefused() throws {
        let data = gaussianData(rows: 10, mean: [0, 0], std: 1)
        var config = try configuration(dimension: 2, steps: 5)
        config.batchSize = 0
        #expect(throws: TrainingError.self) { try Trainer(configuration: config, data: data) }
        config = try configuration(dimension: 3, steps: 5)
        #expect(throws: TrainingError.invalidData("10 × 2 data for a model of dimension 3")) {
            try Trainer(configuration: config, data: data)
        }
        config = try configuration(dimension: 2, steps: 5)
        config.parameterization = .multiplicative
        #expect(throws: TrainingError.self) { try Trainer(configuration: config, data: data) }
        var bad = data
        bad.scalars[3] = .nan
        #expect(throws: TrainingError.self) { try Trainer(configuration: try configuration(dimension: 2, steps: 5), data: bad) }
    }

    @Test func multiplicativeTrainingRuns() throws {
        let data = gaussianData(rows: 64, mean: [0, 0], std: 1)
        var config = try configuration(dimension: 2, steps: 5, parameterization: .multiplicative)
        config.noiseDistribution = .geometricLevels(minimum: 0.01, maximum: 10, count: 10)
        config.weighting = .inverseVariance
        var trainer = try Trainer(configuration: config, data: data)
        let log = try trainer.trainToEnd()
        #expect(log.losses.count == 5 && log.losses.allSatisfy(\.isFinite))
    }

    /// Warm-up follows min(1, (t + 1)/W) η, and with plain SGD a clipped step moves the weights by
    /// exactly η · maxNorm · ‖g‖/(‖g‖ + 1e-6).
    @Test func warmUpAndClippingReachTheUpdate() throws {
        let data = gaussianData(rows: 64, mean: [0, 0], std: 1)
        var config = try configuration(dimension: 2, steps: 8, learningRate: 0.1)
        config.optimizer = .sgd(momentum: 0, nesterov: false)
        config.gradientClipNorm = 1e-3
        var trainer = try Trainer(configuration: config, data: data)
        for t in 0..<8 {
            let before = trainer.model.network.parameters
            let report = try trainer.train(steps: 1)
            #expect(report.losses.count == 1)
            let rate = 0.1 * min(1, Double(t + 1) / 5)
            var change = trainer.model.network.parameters
            try change.add(before, scaledBy: -1)
            let g = report.gradientNorms[0]
            #expect(g > 1e-3)
            #expect(abs(change.squaredNorm().squareRoot() / (rate * 1e-3 * g / (g + 1e-6)) - 1) < 1e-9)
        }
    }
}
