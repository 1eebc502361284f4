import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("W6 sensitivity")
struct W6Tests {
    /// The Gaussian model's sampling map is linear: its finite-difference Jacobian equals the closed
    /// form up to Heun's discretisation error.
    @Test("finite differences of the Gaussian's sampling map give its closed-form Jacobian")
    func gaussianJacobian() throws {
        let train = try TrainedDigitsModel.split(TinyDigits.configuration()).train
        let gaussian = try GaussianDenoiser(fitting: train)
        let probe = try W6Sensitivity.probe(gaussian, bases: 2, directions: 6, seed: 3)
        let predicted = try gaussian.flow(probe.directions.addingToRows(gaussian.mean), from: 80, to: 0)
            .addingToRows(gaussian.mean.map { -$0 })
        #expect((probe.jv - predicted).norm() < 0.05 * predicted.norm())
        #expect(probe.directions.rowSquaredNorms().allSatisfy { abs($0 - 1) < 1e-12 })
    }

    @Test("gains and shares on a hand-made example")
    func gainsAndShares() {
        // Outputs along the first two axes of an identity basis: gains √(2 · mean c²).
        let outputs = Matrix<Double>(rowArrays: [[3, 0, 0], [1, 2, 0]])
        let gains = W6Sensitivity.gains(outputs, Matrix<Double>.identity(3), dimension: 2)
        #expect(abs(gains[0] - (2 * (9 + 1) / 2.0).squareRoot()) < 1e-12)
        #expect(abs(gains[1] - (2 * 4 / 2.0).squareRoot()) < 1e-12)
        #expect(gains[2] == 0)
        #expect(abs(W6Sensitivity.share(gains, top: 1) - 10.0 / 14) < 1e-12)
    }

    @Test("a small run is finite and its verdict follows its numbers")
    func smallRun() throws {
        let context = TinyDigits.context()
        defer { try? FileManager.default.removeItem(at: context.cacheFolder) }
        let r = try W6Sensitivity(model: TinyDigits.configuration(), baseCount: 2, directionCount: 3).run(context)
        #expect(r.id == "W6" && r.figures.count == 1)
        let n = r.numbers
        #expect(n.values.allSatisfy { $0.isFinite })
        let share = n["learned_gain_share_top10"]!
        #expect(share >= 0 && share <= 1)
        let a = share >= 0.5, b = n["median_relative_deviation_from_gaussian"]! <= 0.5
        #expect(r.verdict == (a && b ? .holds : (a || b ? .partlyHolds : .doesNotHold)))
    }
}
