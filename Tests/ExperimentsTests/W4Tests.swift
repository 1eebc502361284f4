import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("W4 teleportation")
struct W4Tests {
    static func data() throws -> (train: Matrix<Double>, heldOut: Matrix<Double>) {
        try TrainedDigitsModel.split(TinyDigits.configuration())
    }

    /// With the Gaussian itself as the model, teleporting changes the samples only by Heun's own
    /// discretisation error, and quality never degrades: the knee is the last n_skip.
    @Test("teleporting a Gaussian model is (almost) exact")
    func gaussianModel() throws {
        let (train, heldOut) = try Self.data()
        let gaussian = try GaussianDenoiser(fitting: train)
        let z = CounterNormalRNG(seed: 5).normals(rows: 40, columns: 64, draw: 0, as: Double.self)
        let sweep = try W4Teleportation(model: nil, sampleCount: nil).sweep(
            sigmaMax: 80, z: z, network: gaussian, gaussian: gaussian, heldOut: heldOut, trainSubset: train.rows(0..<40))
        let scale = W4Teleportation.meanDistance(sweep.finals[0], Matrix<Double>(rows: 40, columns: 64) { _, _ in 0 })
        #expect(sweep.meanL2[0] == 0)
        // Heun's own error: its 18-step samples against the exact flow from the same x_T.
        let heunError = W4Teleportation.meanDistance(sweep.finals[0], try gaussian.flow(z * 80, from: 80, to: 0))
        #expect(heunError < 0.05 * scale)
        #expect(sweep.meanL2.allSatisfy { $0 <= 1.5 * heunError })
        #expect(sweep.knee == 12)
        #expect(sweep.nfe == W4Teleportation.skips.map { 35 - 2 * $0 })
    }

    /// A strongly non-Gaussian model (the delta mixture of 30 digits) is moved by deep teleports.
    @Test("teleporting a non-Gaussian model deep changes its samples")
    func deltaMixtureModel() throws {
        let (train, heldOut) = try Self.data()
        let gaussian = try GaussianDenoiser(fitting: train.rows(0..<30))
        let empirical = try EmpiricalDenoiser(data: train.rows(0..<30))
        let z = CounterNormalRNG(seed: 5).normals(rows: 20, columns: 64, draw: 0, as: Double.self)
        let sweep = try W4Teleportation(model: nil, sampleCount: nil).sweep(
            sigmaMax: 80, z: z, network: empirical, gaussian: gaussian, heldOut: heldOut, trainSubset: train.rows(0..<20))
        #expect(sweep.meanL2[12] > 1)
        #expect(sweep.meanL2[12] > sweep.meanL2[2])
    }

    @Test("a small run is finite and its verdict follows its numbers")
    func smallRun() throws {
        let context = TinyDigits.context()
        defer { try? FileManager.default.removeItem(at: context.cacheFolder) }
        let r = try W4Teleportation(model: TinyDigits.configuration(), sampleCount: 24).run(context)
        #expect(r.id == "W4" && r.figures.count == 4)
        let n = r.numbers
        for tag in ["sigma_max_80", "sigma_max_20"] {
            for k in W4Teleportation.skips {
                #expect(n["\(tag).n_skip_\(k).mmd"]?.isFinite == true && n["\(tag).n_skip_\(k).mean_l2"]?.isFinite == true)
            }
        }
        let knee = Int(n["knee_n_skip"]!)
        let mmd = W4Teleportation.skips.map { n["sigma_max_80.n_skip_\($0).mmd"]! }
        #expect((0...knee).allSatisfy { mmd[$0] <= mmd[0] + n["mmd_threshold"]! })
        if knee < 12 { #expect(mmd[knee + 1] > mmd[0] + n["mmd_threshold"]!) }
        let sigma99 = n["sigma_0.99_gaussian"]!, kneeSigma = n["knee_sigma"]!
        let a = knee >= 4 && knee < 12
        let b = sigma99.isFinite && kneeSigma / sigma99 <= 3 && sigma99 / kneeSigma <= 3
        let c = n["fast_solver_wins"]! >= 2
        #expect(r.verdict == (a && b && c ? .holds : (knee < 4 && !c ? .doesNotHold : .partlyHolds)))
    }
}
