import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("W3 learning dynamics")
struct W3Tests {
    @Test("a small run reports every checkpoint and its verdict follows its numbers")
    func smallRun() throws {
        let context = TinyDigits.context()
        defer { try? FileManager.default.removeItem(at: context.cacheFolder) }
        let r = try W3LearningDynamics(model: TinyDigits.configuration(), mixtureComponents: 2, pointCount: 24).run(context)
        #expect(r.id == "W3" && r.figures.count == 3)
        let n = r.numbers
        let steps = TinyDigits.configuration().checkpointSteps
        let eG = steps.map { n["step_\($0).gaussian_small_sigma_ev"]! }, eM = steps.map { n["step_\($0).gmm_small_sigma_ev"]! }
        #expect((eG + eM).allSatisfy { $0.isFinite })
        // The small-σ mean is the mean of the reported per-σ values.
        for (c, step) in steps.enumerated() {
            let values = W3LearningDynamics.smallSigmas.map { n["step_\(step).gaussian_dt_ev_pooled_sigma_\($0)"]! }
            #expect(abs(values.reduce(0, +) / Double(values.count) - eG[c]) < 1e-12)
        }
        let peak = eG.indices.max { eG[$0] < eG[$1] || (eG[$0] == eG[$1] && $0 > $1) }!
        #expect(n["gaussian_peak_step"] == Double(steps[peak]))
        let a = peak < steps.count - 1 && eG[peak] - eG.last! > 0.01
        let b = (eM.last! - eG.last!) - (eM[peak] - eG[peak]) > 0.01
        #expect(r.verdict == (a && b ? .holds : (a || b ? .partlyHolds : .doesNotHold)))
    }
}
