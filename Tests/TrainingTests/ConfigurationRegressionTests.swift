import Foundation
import Testing
import ScoreKitTraining

/// Hostile `TrainingConfiguration` JSON (what `scorekit train --config` and a checkpoint's `config`
/// metadata read), tried against the `fuzz-config` target (Fuzz/README.md). Before the resource
/// bounds the sizes made the trainer allocate gigabytes to exabytes, or trap on `Int` overflow;
/// 2⁶² steps promised sample indices past `Int`; the narrow loss buckets trapped converting a
/// `Double` to `Int`. (The 1e400 numbers were already refused by `JSONDecoder`, and stay so.) Now
/// each is refused with a one-line error before anything is allocated, or trains. TrainingTests
/// declares no resources, so the inputs are string literals: `Hostile.base` (the fuzz seed
/// `edm_fourier_film.json`, compact) with the named fragments replaced.
@Suite struct ConfigurationRegressionTests {
    enum Outcome: Sendable {
        /// `validate()` throws `.invalidConfiguration` whose message contains this.
        case refused(String)
        /// `JSONDecoder` already refuses it (a `DecodingError`).
        case undecodable
    }

    struct Hostile: Sendable, CustomTestStringConvertible {
        let name: String
        let replacements: [(String, String)]
        let outcome: Outcome
        var testDescription: String { name }

        static let base = #"{"model":{"dataDimension":2,"width":8,"depth":1,"hiddenWidth":8,"activation":"silu","noiseInput":{"fourier":{"channels":8,"scale":16}},"conditioning":"film"},"parameterization":{"preconditioned":{"_0":{"edm":{"sigmaData":0.5}}}},"noiseDistribution":{"logNormal":{"mean":-1.2,"standardDeviation":1.2}},"weighting":{"edm":{"sigmaData":0.5}},"batchSize":4,"steps":10,"learningRate":{"base":0.001,"warmupSteps":0,"decay":{"constant":{}}},"optimizer":{"adam":{"beta1":0.9,"beta2":0.999,"epsilon":1e-08,"weightDecay":0}},"emaDecay":0.999,"seed":0,"buckets":{"minimum":0.002,"maximum":80,"count":16}}"#

        /// The input: `base` with every fragment replaced (each must occur in it).
        func json() throws -> Data {
            var text = Self.base
            for (old, new) in replacements {
                try #require(text.contains(old), "\(name): '\(old)' is not in the base configuration")
                text = text.replacingOccurrences(of: old, with: new)
            }
            return Data(text.utf8)
        }
    }

    static let parameterLimit = "parameters, more than the limit"
    static let hostile: [Hostile] = [
        Hostile(name: "width 1e9", replacements: [(#""width":8"#, #""width":1000000000"#), (#""hiddenWidth":8"#, #""hiddenWidth":1000000000"#)],
                outcome: .refused(parameterLimit)),
        Hostile(name: "depth 1e6", replacements: [(#""depth":1"#, #""depth":1000000"#)], outcome: .refused(parameterLimit)),
        Hostile(name: "data dimension 1e9", replacements: [(#""dataDimension":2"#, #""dataDimension":1000000000"#)],
                outcome: .refused(parameterLimit)),
        Hostile(name: "embedding channels 1e9", replacements: [(#""channels":8"#, #""channels":1000000000"#)],
                outcome: .refused(parameterLimit)),
        Hostile(name: "mapping width 1e9", replacements: [(#""conditioning""#, #""mappingWidth":1000000000,"conditioning""#)],
                outcome: .refused(parameterLimit)),
        Hostile(name: "width 2^62 (parameter count overflows)",
                replacements: [(#""width":8"#, #""width":4611686018427387904"#), (#""hiddenWidth":8"#, #""hiddenWidth":1"#)],
                outcome: .refused("parameter count of an MLP with")),
        Hostile(name: "depth Int.max (parameter count overflows)", replacements: [(#""depth":1"#, #""depth":9223372036854775807"#)],
                outcome: .refused("overflows")),
        Hostile(name: "batch 1e12", replacements: [(#""batchSize":4"#, #""batchSize":1000000000000"#)],
                outcome: .refused("activation scalars")),
        Hostile(name: "batch Int.max (activations overflow)", replacements: [(#""batchSize":4"#, #""batchSize":9223372036854775807"#), (#""steps":10"#, #""steps":0"#)],
                outcome: .refused("more than Int.max activation scalars")),
        Hostile(name: "2^62 steps of 4 (sample counter overflows)", replacements: [(#""steps":10"#, #""steps":4611686018427387904"#)],
                outcome: .refused("overflow the sample counter")),
        Hostile(name: "1e9 geometric noise levels",
                replacements: [(#"{"logNormal":{"mean":-1.2,"standardDeviation":1.2}}"#,
                                #"{"geometricLevels":{"minimum":0.01,"maximum":50,"count":1000000000}}"#)],
                outcome: .refused("geometricLevels")),
        Hostile(name: "1e12 loss buckets", replacements: [(#""count":16"#, #""count":1000000000000"#)], outcome: .undecodable),
        Hostile(name: "learning rate 1e400", replacements: [(#""base":0.001"#, #""base":1e400"#)], outcome: .undecodable),
        Hostile(name: "Adam epsilon 1e400", replacements: [(#""epsilon":1e-08"#, #""epsilon":1e400"#)], outcome: .undecodable),
    ]

    @Test(arguments: hostile) func isRefusedBeforeAllocating(_ input: Hostile) throws {
        let data = try input.json()
        switch input.outcome {
        case .undecodable:
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingConfiguration.self, from: data) }
        case .refused(let reason):
            let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: data)
            let error = try #require(throws: TrainingError.self) { try configuration.validate() }
            guard case .invalidConfiguration = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains(reason), "\(error)")
            #expect(!error.description.contains("\n"))
            // The trainer validates first, so it refuses the same way (and allocates nothing).
            #expect(throws: error) { try Trainer(configuration: configuration, data: Matrix<Float>(rows: 4, columns: 2)) }
        }
    }

    /// Loss buckets over [1e-300, 1e-300·(1 + 2⁻⁵²)]: σ = e⁵ sits at position ln(e⁵/1e-300)/ln(1 + 2⁻⁵²)·16 ≈ 5·10¹⁹,
    /// past `Int.max`; `SigmaBuckets.index` converted it to `Int` before clamping and trapped. It
    /// belongs in the last bucket, a level below the range in the first.
    @Test func bucketPositionBeyondIntIsClamped() throws {
        let data = try Hostile(name: "narrow buckets", replacements: [
            (#""minimum":0.002,"maximum":80"#, #""minimum":1e-300,"maximum":1.0000000000000002e-300"#),
            (#""mean":-1.2,"standardDeviation":1.2"#, #""mean":5,"standardDeviation":0"#),
        ], outcome: .undecodable).json()
        let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: data)
        try configuration.validate()
        #expect(configuration.buckets.index(of: 1e-301) == 0)
        #expect(configuration.buckets.index(of: .infinity) == 15)
        var trainer = try Trainer(configuration: configuration, data: Matrix<Double>(rows: 4, columns: 2) { i, j in Double(i - j) })
        var buckets = BucketLosses(buckets: configuration.buckets)
        _ = try trainer.trainStep(buckets: &buckets)
        #expect(buckets.counts == [Int](repeating: 0, count: 15) + [4])
    }

    /// Values JSON cannot carry (it has no NaN or ∞, and `1e400` does not decode) but code can:
    /// `validate` refuses them too, each with `.invalidConfiguration`.
    @Test(arguments: [
        OptimizerChoice.adam(beta1: 0.9, beta2: 0.999, epsilon: .infinity, weightDecay: 0),
        .adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: .nan),
        .sgd(momentum: .infinity, nesterov: true),
        .adam(beta1: 1, beta2: 0.999, epsilon: 1e-8, weightDecay: 0),
    ]) func nonFiniteOrOutOfRangeOptimizerIsRefused(_ optimizer: OptimizerChoice) throws {
        var configuration = try Self.valid()
        configuration.optimizer = optimizer
        let error = try #require(throws: TrainingError.self) { try configuration.validate() }
        #expect(error.description.hasPrefix("invalid"), "\(error)")
    }

    @Test func nonFiniteFourierScaleAndDecayFactorAreRefused() throws {
        var configuration = try Self.valid()
        configuration.model.noiseInput = .fourier(channels: 8, scale: .infinity)
        #expect(throws: TrainingError.invalidConfiguration(
            "Fourier embedding with 8 channels (needs an even count ≥ 2) and scale inf")) { try configuration.validate() }
        #expect(throws: NNError.self) { try LearningRateSchedule(base: 1e-3, decay: .step(every: 1, factor: .infinity)) }
    }

    /// `TrainingLimits` compares against exactly the network's parameters (counted on the built
    /// network) and batch × activations per row: the limit itself passes, one less is refused.
    @Test func limitsAreInclusiveBounds() throws {
        let configuration = try Self.valid()
        var generator = PhiloxGenerator(seed: 0)
        let parameters = try MLPDenoiserNet<Float>(configuration.model, using: &generator).parameterCount
        let activations = configuration.batchSize * (try configuration.model.activationsPerRow)
        try configuration.validate(limits: TrainingLimits(maxParameters: parameters, maxActivations: activations))
        #expect(throws: TrainingError.self) {
            try configuration.validate(limits: TrainingLimits(maxParameters: parameters - 1, maxActivations: activations))
        }
        #expect(throws: TrainingError.self) {
            try configuration.validate(limits: TrainingLimits(maxParameters: parameters, maxActivations: activations - 1))
        }
    }

    /// The standard limits admit the largest run this project plans (64-D data, width 1024,
    /// depth 16, FiLM by a 1024-wide mapping, batch 65536) and refuse 4× its width or batch 2²⁰.
    @Test func standardLimitsAdmitTheLargestPlannedRun() throws {
        var configuration = try Self.valid()
        configuration.model = MLPDenoiserNetConfiguration(dataDimension: 64, width: 1024, depth: 16, mappingWidth: 1024)
        configuration.batchSize = 65536
        try configuration.validate()
        configuration.model.width = 4096
        #expect(throws: TrainingError.self) { try configuration.validate() }
        configuration.model.width = 1024
        configuration.batchSize = 1 << 20
        #expect(throws: TrainingError.self) { try configuration.validate() }
    }

    /// A model file written by the code, with its `model` metadata's width and hidden width set to
    /// `width`; the error `NetworkDenoiser.load(checkpoint:)` (what `scorekit sample` calls) throws.
    func loadModelFile(claimingWidth width: Int) throws -> TrainingError? {
        var configuration = try Self.valid()
        configuration.steps = 1
        var trainer = try Trainer(configuration: configuration, data: Matrix<Float>(rows: 4, columns: 2) { i, j in Float(i * j) })
        _ = try trainer.trainToEnd()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-hostile-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.modelFile.write(to: url)
        var contents = try Safetensors.read(contentsOf: url)
        var model = configuration.model
        (model.width, model.hiddenWidth) = (width, width)
        contents.metadata["model"] = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        try Safetensors.write(contents.tensors, metadata: contents.metadata, to: url)
        do { _ = try NetworkDenoiser<Float>.load(checkpoint: url) } catch { return error }
        return nil
    }

    /// A model file whose `model` metadata asks for a network of 2·10¹⁸ weights is refused as
    /// corrupt before the network is built (it used to be built first, and crashed).
    @Test func modelFileClaimingAnAbsurdNetworkIsRefused() throws {
        let error = try #require(try loadModelFile(claimingWidth: 1_000_000_000))
        guard case .corruptCheckpoint(_, let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason.contains("parameters, more than the limit"), "\(reason)")
    }

    /// fuzz-modelfile's finding: a model file claiming width 6000 (72 M parameters, within
    /// `TrainingLimits.standard`) with the tensors of width 8 made the loader build the 288 MB
    /// network before comparing it with the 4 kB of tensors. Now the parameter count is compared
    /// with the stored values first, and the message says so (a shape mismatch found after
    /// building would not). (Width 600 here keeps the test fast.)
    @Test func modelFileClaimingMoreParametersThanItHoldsIsRefusedBeforeBuilding() throws {
        let error = try #require(try loadModelFile(claimingWidth: 600))
        #expect(error.description.contains("parameters but the file stores only"), "\(error)")
    }

    /// fuzz-modelfile's second finding: a checkpoint whose `step` metadata is 2⁶² (its batch size
    /// 4) used to read without complaint, and then `Checkpoint.metadata` (writing it back, as
    /// `scorekit train --resume` does) trapped on step × batch size overflowing `Int`, as did
    /// `Trainer.batch(forStep:)`. `Checkpoint.read` now refuses it.
    @Test func checkpointWhoseSampleIndexOverflowsIsRefused() throws {
        var configuration = try Self.valid()
        configuration.steps = 1
        var trainer = try Trainer(configuration: configuration, data: Matrix<Float>(rows: 4, columns: 2) { i, j in Float(i + j) })
        _ = try trainer.trainToEnd()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-hostile-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.checkpoint.write(to: url)
        var contents = try Safetensors.read(contentsOf: url)
        contents.metadata["step"] = "4611686018427387904"
        try Safetensors.write(contents.tensors, metadata: contents.metadata, to: url)
        let refused = (try? Checkpoint<Float>.read(from: url)) == nil
        #expect(refused, "a checkpoint at step 2⁶² with batch size 4 was read")
    }

    static func valid() throws -> TrainingConfiguration {
        try JSONDecoder().decode(TrainingConfiguration.self, from: Data(Hostile.base.utf8))
    }
}
