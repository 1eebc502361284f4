import Foundation
import Testing
import ScoreKitIO
@testable import ScoreKitExperiments

/// A tiny digits model (20 steps, width 16, 200 digits) for the W2–W6 tests.
enum TinyDigits {
    static func configuration(seed: UInt64 = 7) -> TrainedDigitsModel.Configuration {
        TrainedDigitsModel.Configuration(width: 16, depth: 1, checkpointSteps: [10, 20], batchSize: 32, seed: seed,
                                         trainCount: 150, dataLimit: 200)
    }

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-tiny-digits-\(UUID().uuidString)", isDirectory: true)
    }

    static func context(_ folder: URL = folder()) -> ExperimentContext {
        ExperimentContext(quick: true, seed: 7, cacheFolder: folder)
    }
}

@Suite("Trained digits model provider")
struct TrainedDigitsModelTests {
    @Test("the split is a seeded partition of the digits")
    func split() throws {
        let config = TinyDigits.configuration()
        let (train, heldOut) = try TrainedDigitsModel.split(config)
        #expect(train.rows == 150 && heldOut.rows == 50 && train.columns == 64)
        let all = try Digits<Double>.load().images.rows(0..<200)
        let key = { (m: Matrix<Double>) in (0..<m.rows).map { Array(m.row($0)).map { String($0) }.joined(separator: ",") }.sorted() }
        #expect((key(train) + key(heldOut)).sorted() == key(all))
        #expect(try TrainedDigitsModel.split(config).train == train)
        #expect(try TrainedDigitsModel.split(TinyDigits.configuration(seed: 8)).train != train)
    }

    @Test("a second load reuses the cache; a lost checkpoint is retrained bit for bit")
    func caching() throws {
        let folder = TinyDigits.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = TinyDigits.configuration()
        let first = try TrainedDigitsModel.load(config, cacheFolder: folder)
        #expect(first.trainingSeconds > 0)
        let x = try TrainedDigitsModel.split(config).heldOut.rows(0..<5)
        let reference = try first.denoiser().denoise(x, sigma: 0.7)
        let second = try TrainedDigitsModel.load(config, cacheFolder: folder)
        #expect(second.trainingSeconds == 0)
        #expect(try second.denoiser().denoise(x, sigma: 0.7) == reference)
        // Early and raw weights differ from the final EMA model.
        #expect(try second.denoiser(atStep: 10, weights: .raw).denoise(x, sigma: 0.7) != reference)
        #expect(throws: (any Error).self) { try second.denoiser(atStep: 15) }
        // Remove the last checkpoint: the run resumes from step 10 and ends at the same weights.
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(files.count == 2)
        for file in files where file.lastPathComponent.hasSuffix("step20.safetensors") { try FileManager.default.removeItem(at: file) }
        let resumed = try TrainedDigitsModel.load(config, cacheFolder: folder)
        #expect(resumed.trainingSeconds > 0)
        #expect(try resumed.denoiser().denoise(x, sigma: 0.7) == reference)
    }

    @Test("the cache key follows the configuration")
    func cacheKey() throws {
        var other = TinyDigits.configuration()
        other.learningRate = 2e-3
        #expect(try TinyDigits.configuration().cacheKey == TinyDigits.configuration().cacheKey)
        #expect(try other.cacheKey != TinyDigits.configuration().cacheKey)
    }

    @Test("bad configurations are rejected with an error")
    func badConfiguration() {
        var config = TinyDigits.configuration()
        config.checkpointSteps = [20, 10]
        #expect(throws: ExperimentError.self) { try TrainedDigitsModel.load(config, cacheFolder: TinyDigits.folder()) }
        config = TinyDigits.configuration()
        config.trainCount = 199
        #expect(throws: ExperimentError.self) { try TrainedDigitsModel.split(config) }
    }
}
