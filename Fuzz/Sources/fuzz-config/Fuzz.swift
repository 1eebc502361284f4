import Foundation
import FuzzSupport
import ScoreKitNumerics
import ScoreKitTraining

/// `scorekit train --config` (`TrainingConfiguration` from JSON, then `validate`, then a
/// `Trainer` and one `trainStep`). Every decoded configuration must encode and decode back to an
/// equal one; a valid one must build a trainer on 4 rows of its dimension (Float for inputs of
/// even length, Double for odd) and take a step whose loss is finite, or fail with a
/// `TrainingError` (the step's typed `throws` guarantees no other error escapes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    guard let configuration = try? JSONDecoder().decode(TrainingConfiguration.self, from: data) else { return 0 }
    let encoded = try? JSONEncoder().encode(configuration)
    let again = encoded.flatMap { try? JSONDecoder().decode(TrainingConfiguration.self, from: $0) }
    FuzzInput.require(again == configuration, "configuration encode→decode is not the identity: \(configuration)")
    guard (try? configuration.validate(limits: ConfigFuzzLimits.training)) != nil else { return 0 }
    if count.isMultiple(of: 2) {
        step(configuration, as: Float.self)
    } else {
        step(configuration, as: Double.self)
    }
    return 0
}

/// Limits that keep a valid configuration within libFuzzer's `-malloc_limit_mb=256` and its
/// 10-second timeout (a step costs about batch × parameters multiply-adds).
enum ConfigFuzzLimits {
    static let training = TrainingLimits(maxParameters: 1 << 16, maxActivations: 1 << 18)
}

/// One training step on 4 rows of fixed, distinct data.
func step<Scalar: MatrixScalar>(_ configuration: TrainingConfiguration, as _: Scalar.Type) {
    let d = configuration.model.dataDimension
    let data = Matrix<Scalar>(rows: 4, columns: d) { i, j in Scalar(i - 2) + Scalar(j % 7) / 8 }
    do {
        var trainer = try Trainer(configuration: configuration, data: data)
        var buckets = BucketLosses(buckets: configuration.buckets)
        let report = try trainer.trainStep(buckets: &buckets)
        FuzzInput.require(report.loss.isFinite && report.gradientNorm.isFinite, "a step reported loss \(report.loss)")
    } catch {
        return  // a TrainingError: refused with a message, which is what hostile input should get
    }
}
