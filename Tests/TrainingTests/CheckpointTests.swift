import Foundation
import Testing
@testable import ScoreKitTraining

@Suite struct CheckpointTests {
    func trainedRun() throws -> Trainer<Float> {
        let data: Matrix<Float> = gaussianData(rows: 40, mean: [0, 1], std: 1).converted()
        var trainer = try Trainer(configuration: try configuration(dimension: 2, steps: 6, batch: 8), data: data)
        _ = try trainer.trainToEnd()
        return trainer
    }

    @Test func fileHoldsPyTorchNamesShapesAndMetadata() throws {
        let trainer = try trainedRun()
        let url = temporaryURL("ckpt.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.checkpoint.write(to: url)

        let raw = try Safetensors.read(contentsOf: url)
        let state = trainer.model.network.stateDict
        var expected = Set(state.names)
        expected.formUnion(trainer.model.network.parameters.names.map { "ema." + $0 })
        expected.formUnion(trainer.optimizer.state.names.map { "optim." + $0 })
        #expect(Set(raw.tensors.map(\.name)) == expected)
        #expect(expected.contains("input.weight") && expected.contains("ema.blocks.0.linear1.bias")
                && expected.contains("optim.step") && expected.contains("optim.output.weight.exp_avg_sq"))
        for t in state { #expect(raw.tensors[t.name]?.shape == t.shape, "\(t.name)") }
        #expect(raw.tensors["input.bias"]?.shape.count == 1)
        #expect(raw.tensors["input.weight"]?.dtype == .float32)
        #expect(raw.metadata["format"] == "scorekit-checkpoint")
        #expect(raw.metadata["format_version"] == "1")
        #expect(raw.metadata["step"] == "6")
        #expect(raw.metadata["dtype"] == "float32")
        #expect(raw.metadata["data_loader"] == #"{"epoch":1,"offset":8,"seed":7}"#)   // 6 · 8 = 48 = 40 + 8
        let config = try JSONDecoder().decode(TrainingConfiguration.self, from: Data((raw.metadata["config"] ?? "").utf8))
        #expect(config == trainer.configuration)

        let back = try Checkpoint<Float>.read(from: url)
        #expect(back.step == 6 && back.configuration == trainer.configuration)
        #expect(back.weights.pairs.map(\.name) == state.pairs.map(\.name).sorted() || Set(back.weights.names) == Set(state.names))
        #expect(back.weights.dictionary == state.dictionary)
        #expect(back.emaWeights.dictionary == trainer.ema.average.dictionary)
        #expect(back.optimizerState.dictionary == trainer.optimizer.state.dictionary)
    }

    @Test func loadsAsTheEMADenoiserInEitherPrecision() throws {
        let trainer = try trainedRun()
        let url = temporaryURL("denoiser.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.checkpoint.write(to: url)
        let x: Matrix<Float> = gaussianData(rows: 5, mean: [0, 1], std: 2).converted()
        let expectedEMA = try trainer.emaDenoiser.denoise(x, sigma: 0.8)
        let loaded = try NetworkDenoiser<Float>.load(checkpoint: url)
        #expect(try loaded.denoise(x, sigma: 0.8) == expectedEMA)
        let raw = try NetworkDenoiser<Float>.load(checkpoint: url, weights: .raw)
        #expect(try raw.denoise(x, sigma: 0.8) == trainer.model.denoise(x, sigma: 0.8))
        #expect(try raw.denoise(x, sigma: 0.8) != expectedEMA)
        let double = try NetworkDenoiser<Double>.load(checkpoint: url)
        let difference = try double.denoise(x.converted(), sigma: 0.8) - expectedEMA.converted()
        #expect(difference.maxAbs() < 1e-4)
    }

    @Test func truncatedAndForeignFilesAreRefused() throws {
        let trainer = try trainedRun()
        let url = temporaryURL("truncated.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.checkpoint.write(to: url)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 37).write(to: url)
        #expect {
            try Checkpoint<Float>.read(from: url)
        } throws: { error in
            guard case .io = error as? TrainingError else { return false }
            return true
        }
        #expect(throws: TrainingError.self) { try NetworkDenoiser<Float>.load(checkpoint: url) }

        // A valid safetensors file that is not a checkpoint.
        try Safetensors.write([NamedArray("w", NDArray(shape: [2], scalars: [Float(1), 2]))], to: url)
        #expect(throws: TrainingError.corruptCheckpoint(path: url.path, reason: "no 'format' metadata")) {
            try Checkpoint<Float>.read(from: url)
        }
    }

    @Test func resumingOnOtherDataOrPrecisionIsRefused() throws {
        let trainer = try trainedRun()
        let checkpoint = trainer.checkpoint
        var other = trainer.data
        other.scalars[0] += 1
        #expect(throws: TrainingError.self) { try Trainer(resuming: checkpoint, data: other) }
        let url = temporaryURL("precision.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try checkpoint.write(to: url)
        #expect(throws: TrainingError.self) {
            try Trainer(resuming: try Checkpoint<Double>.read(from: url), data: trainer.data.converted())
        }
    }
}
