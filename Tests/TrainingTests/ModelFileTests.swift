import Foundation
import Testing
@testable import ScoreKitTraining

@Suite struct ModelFileTests {
    func trainedRun() throws -> Trainer<Float> {
        let data: Matrix<Float> = gaussianData(rows: 40, mean: [0, 1], std: 1).converted()
        var trainer = try Trainer(configuration: try configuration(dimension: 2, steps: 6, batch: 8), data: data)
        _ = try trainer.trainToEnd()
        return trainer
    }

    /// The file of a trained run, its raw contents, and a cleanup.
    func writtenFile() throws -> (Trainer<Float>, URL, Safetensors.Contents) {
        let trainer = try trainedRun()
        let url = temporaryURL("model.safetensors")
        try trainer.modelFile.write(to: url)
        return (trainer, url, try Safetensors.read(contentsOf: url))
    }

    @Test func holdsTheEMAStateDictAndTheModelConfiguration() throws {
        let (trainer, url, raw) = try writtenFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let ema = try trainer.emaDenoiser.network.stateDict
        #expect(Set(raw.tensors.map(\.name)) == Set(ema.names))   // no `ema.` / `optim.` entries
        #expect(raw.tensors.contains { $0.name == "embed.freqs" })  // buffers too: it loads on its own
        for t in ema { #expect(raw.tensors[t.name]?.scalars(as: Float.self) == t.value.scalars, "\(t.name)") }
        #expect(raw.metadata["format"] == "scorekit-model" && raw.metadata["format_version"] == "1")
        #expect(raw.metadata["data_dimension"] == "2" && raw.metadata["step"] == "6" && raw.metadata["dtype"] == "float32")
        let model = try JSONDecoder().decode(MLPDenoiserNetConfiguration.self, from: Data((raw.metadata["model"] ?? "").utf8))
        #expect(model == trainer.configuration.model)
        let p = try JSONDecoder().decode(NetworkParameterization.self, from: Data((raw.metadata["parameterization"] ?? "").utf8))
        #expect(p == trainer.configuration.parameterization)
    }

    @Test func loadsAsTheEMADenoiserWithIdenticalOutputs() throws {
        let (trainer, url, _) = try writtenFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let x: Matrix<Float> = gaussianData(rows: 7, mean: [0, 1], std: 2).converted()
        let expected = try trainer.emaDenoiser.denoise(x, sigmas: [0.003, 0.1, 0.5, 1, 2, 10, 80])
        let loaded = try NetworkDenoiser<Float>.load(checkpoint: url)
        #expect(try loaded.denoise(x, sigmas: [0.003, 0.1, 0.5, 1, 2, 10, 80]) == expected)
        let file = try ModelFile<Float>.read(from: url), written = try trainer.modelFile
        #expect(file.model == written.model && file.parameterization == written.parameterization && file.step == 6)
        #expect(file.stateDict.dictionary == written.stateDict.dictionary)
        let double = try NetworkDenoiser<Double>.load(checkpoint: url)
        let difference = try double.denoise(x.converted(), sigma: 0.8) - trainer.emaDenoiser.denoise(x, sigma: 0.8).converted()
        #expect(difference.maxAbs() < 1e-4)
        // A model file has no raw weights to give.
        #expect(throws: TrainingError.self) { try NetworkDenoiser<Float>.load(checkpoint: url, weights: .raw) }
    }

    @Test func missingOrCorruptMetadataIsRefused() throws {
        let (_, url, raw) = try writtenFile()
        defer { try? FileManager.default.removeItem(at: url) }
        func refused(metadata: [String: String], tensors: [NamedArray]? = nil) throws -> TrainingError? {
            try Safetensors.write(tensors ?? raw.tensors, metadata: metadata, to: url)
            do { _ = try NetworkDenoiser<Float>.load(checkpoint: url) } catch { return error }
            return nil
        }
        var m = raw.metadata
        m["model"] = nil
        #expect(try refused(metadata: m) == .corruptCheckpoint(path: url.path, reason: "no 'model' metadata"))
        m = raw.metadata
        m["parameterization"] = nil
        #expect(try refused(metadata: m) == .corruptCheckpoint(path: url.path, reason: "no 'parameterization' metadata"))
        m = raw.metadata
        m["model"] = #"{"dataDimension": 2, "width": "#
        guard case .corruptCheckpoint(_, let reason)? = try refused(metadata: m) else { Issue.record("truncated JSON accepted"); return }
        #expect(reason.hasPrefix("'model' metadata is not valid"))
        m = raw.metadata
        m["data_dimension"] = "3"
        guard case .corruptCheckpoint(_, let r2)? = try refused(metadata: m) else { Issue.record("wrong dimension accepted"); return }
        #expect(r2.contains("data_dimension"))
        // Metadata describing a wider network than the tensors.
        m = raw.metadata
        m["model"] = m["model"]?.replacingOccurrences(of: #""width":16"#, with: #""width":17"#)
        #expect(m["model"] != raw.metadata["model"])
        #expect(try refused(metadata: m) != nil)
        // A tensor missing.
        #expect(try refused(metadata: raw.metadata, tensors: raw.tensors.filter { $0.name != "output.bias" }) != nil)
        // No metadata at all: not a ScoreKit file.
        #expect(try refused(metadata: [:]) == .corruptCheckpoint(path: url.path, reason: "no 'format' metadata"))
    }
}
