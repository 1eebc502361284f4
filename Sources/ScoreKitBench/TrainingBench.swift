import Foundation
import ScoreKit

/// Training steps per second of the bench MLP — `MLPDenoiserNet` with d = 64 (the digits), width
/// 256, 4 residual blocks, 32 Fourier channels and FiLM — at batch 256 with Adam (lr 1e-3), EMA
/// 0.999 and EDM's loss (preconditioning, log-normal σ, λ = 1/c_out²), float32, on 1 and 2 threads
/// (`Parallelism.maximumThreads`). scripts/bench_training.py runs the same network, loss and optimizer in PyTorch.
///
/// The step is also timed in its parts — forward (with the loss), backward, and the optimizer
/// with the EMA update — to show where the time goes.
func benchTraining(digits: Matrix<Float>) throws {
    let name = "mlp d=64 4x256 B=256 adam edm"
    guard selected(name) else { return }
    let configuration = TrainingConfiguration(
        model: MLPDenoiserNetConfiguration(dataDimension: 64, width: 256, depth: 4),
        steps: 1_000_000, learningRate: try LearningRateSchedule(base: 1e-3), emaDecay: 0.999, seed: 0)
    let savedThreads = Parallelism.maximumThreads
    defer { Parallelism.maximumThreads = savedThreads }
    for threads in [1, 2] {
        Parallelism.maximumThreads = threads
        var trainer = try Trainer(configuration: configuration, data: digits)
        var buckets = BucketLosses(buckets: configuration.buckets)
        let step = try measure(repeats: 5, budget: 6) { _ = try trainer.trainStep(buckets: &buckets) }

        // The parts, on one fixed batch.
        let (clean, sigmas, noised) = trainer.batch(forStep: 0)
        let model = trainer.model
        var pass = try model.forward(noised, sigmas: sigmas)
        var loss = DenoisingScoreMatchingLoss(denoised: pass.denoised, clean: clean, sigmas: sigmas, weighting: configuration.weighting)
        let forward = try measure(repeats: 5, budget: 2) {
            pass = try model.forward(noised, sigmas: sigmas)
            loss = DenoisingScoreMatchingLoss(denoised: pass.denoised, clean: clean, sigmas: sigmas, weighting: configuration.weighting)
        }
        var gradients = try model.backward(loss.gradient, pass: pass)
        let backward = try measure(repeats: 5, budget: 2) { gradients = try model.backward(loss.gradient, pass: pass) }
        var adam = try Adam<Float>(learningRate: 1e-3)
        var parameters = model.network.parameters
        var ema = ExponentialMovingAverage(parameters)
        let optimizer = try measure(repeats: 5, budget: 2) {
            try adam.step(&parameters, gradients: gradients)
            try ema.update(with: parameters, beta: 0.999)
        }
        emit(name, group: "training", seconds: step, threads: threads,
             extra: ["steps_per_second": 1 / step, "forward_seconds": forward, "backward_seconds": backward,
                     "optimizer_seconds": optimizer, "parameters": model.network.parameterCount,
                     "d": 64, "width": 256, "depth": 4, "batch": 256])
    }
}
