import Foundation
import Testing
@testable import ScoreKitCLI
import ScoreKit

@Suite("scorekit train")
struct TrainCommandTests {
    @Test func writesAModelFileAndALossCurveWithHeldOutLosses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try run(["train", "--data", "ring8", "--width", "16", "--depth", "1", "--steps", "6", "--batch", "16",
                 "--log-every", "2", "--eval-every", "4", "--eval-rows", "20", "--holdout", "0.25", "--out", dir.path])
        // log.csv: the loss every 2 steps, the held-out evaluation at step 4 and at the end.
        let curve = try LossCurve.read(from: dir.appendingPathComponent("log.csv"))
        #expect(curve.points.map(\.step) == [2, 4, 6])
        #expect(curve.points.allSatisfy { $0.loss.isFinite })
        #expect(curve.points[0].heldOutLoss.isNaN && curve.points[1].heldOutLoss.isFinite && curve.points[2].heldOutLoss.isFinite)
        #expect(curve.points[2].trainEvalLoss.isFinite)

        // model.safetensors samples exactly as the EMA weights of checkpoint.safetensors.
        var outputs = [Matrix<Float>]()
        for file in ["model.safetensors", "checkpoint.safetensors"] {
            let out = dir.appendingPathComponent("\(file).npy")
            try run(["sample", "--denoiser", "checkpoint", "--checkpoint", dir.appendingPathComponent(file).path,
                     "--count", "5", "--seed", "1", "--sampler", "heun", "--steps", "4", "--quiet", "--out", out.path])
            outputs.append(try NPY.readMatrix(contentsOf: out, as: Float.self))
        }
        #expect(outputs[0] == outputs[1] && outputs[0].rows == 5 && outputs[0].isFinite)

        // 2048 ring points, 25 % held out: the model was trained on the other 1536.
        let checkpoint = try Checkpoint<Float>.read(from: dir.appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.data.rows == 1536)

        // Resuming with the same --holdout continues the run and the curve.
        try run(["train", "--data", "ring8", "--steps", "8", "--log-every", "2", "--eval-every", "4", "--eval-rows", "20",
                 "--holdout", "0.25", "--resume", "--out", dir.path])
        #expect(try LossCurve.read(from: dir.appendingPathComponent("log.csv")).points.map(\.step) == [2, 4, 6, 8])
        // … and with another split it is refused.
        #expect(throws: (any Error).self) {
            try run(["train", "--data", "ring8", "--steps", "10", "--holdout", "0.5", "--resume", "--out", dir.path])
        }
    }
}
