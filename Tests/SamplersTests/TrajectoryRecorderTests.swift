import Foundation
import ScoreKitSamplers
import Testing

@Suite("Trajectory recording")
struct TrajectoryRecorderTests {
    @Test("an rk45 record has the ring8 oracle's layout: every nonzero σ then the final output at 0")
    func oracleLayout() throws {
        let fixture = try RefODEFixture.load()
        let run = try fixture.run("gaussian_karras_ode_dop853")
        let traj = try #require(run.trajectory)
        let g = fixture.gaussian
        let denoiser = RefGaussianDenoiser(mu: g.mu, lam: g.lam, U: g.U)
        let recorder = TrajectoryRecorder<Double>()
        let model = SamplingModel(denoiser, observer: recorder.observe)
        let x0 = refMatrix(fixture.Z) * run.sigmas[0]
        let out = try sampleRK45(model, from: x0, sigmas: run.sigmas, options: .init(rtol: 1e-10, atol: 1e-10))
        let record = try recorder.finish(out, sigma: 0, nfe: model.nfe)
        #expect(record.sigmas == run.sigmas)
        #expect(record.x.count == traj.count + 1 && record.denoised.count == record.x.count)
        for (state, expected) in zip(record.x, traj) {
            #expect(refMaxAbsDifference(state, refMatrix(expected)) < 1e-7)
        }
        #expect(refMaxAbsDifference(try #require(record.x.last), refMatrix(run.out)) < 1e-7)
        #expect(record.denoised.last == out)
        for (t, sigma) in record.sigmas.dropLast().enumerated() {
            #expect(record.denoised[t] == (try denoiser.denoise(record.x[t], sigma: sigma)))
        }
        #expect(record.nfe == model.nfe)
    }

    @Test("tensors are T × B × d row-major; rk4's record has N + 1 entries")
    func tensorLayout() throws {
        let denoiser = RefIsotropicGaussian<Double>(mean: [1, 2, 3], std: 0.5)
        let recorder = TrajectoryRecorder<Double>()
        let model = SamplingModel(denoiser, observer: recorder.observe)
        let x0 = Matrix<Double>(rows: 4, columns: 3) { Double($0 * 3 + $1) - 5 }
        let sigmas = refKarrasSigmas(5, sigmaMin: 0.01, sigmaMax: 10.0)
        let out = try sampleRK4(model, from: x0, sigmas: sigmas)
        let record = try recorder.finish(out, sigma: 0, nfe: model.nfe)
        #expect(record.sigmas == sigmas)
        #expect(record.nfe == 17 && record.rows == 4 && record.columns == 3)
        #expect(record.x.first == x0 && record.x.last == out)
        let tensor = record.xTensor
        #expect(tensor.count == 6 * 4 * 3)
        for t in 0..<6 { for b in 0..<4 { for j in 0..<3 { #expect(tensor[(t * 4 + b) * 3 + j] == record.x[t][b, j]) } } }
        #expect(record.denoisedTensor.count == tensor.count)
    }

    @Test("ending at the last observed σ replaces that entry and keeps its D, as the oracle does")
    func noFinalReplaces() throws {
        let denoiser = RefIsotropicGaussian<Double>(mean: [0, 0], std: 1)
        let recorder = TrajectoryRecorder<Double>()
        let model = SamplingModel(denoiser, observer: recorder.observe)
        let x0 = Matrix<Double>(rowArrays: [[3, -4], [1, 2]])
        let sigmas = refKarrasSigmas(4, sigmaMin: 0.1, sigmaMax: 5.0)
        let out = try sampleRK45(model, from: x0, sigmas: sigmas, options: .init(denoiseToZero: false))
        let record = try recorder.finish(out, sigma: sigmas[3], nfe: model.nfe)
        #expect(record.sigmas == Array(sigmas.dropLast()))
        #expect(record.x.last == out)
        #expect(record.denoised.last == (try denoiser.denoise(out, sigma: sigmas[3])))
    }

    @Test("repeated σ̂ keeps the last report; an unreported final σ needs its D; shapes must agree")
    func rules() throws {
        let x = Matrix<Double>(rowArrays: [[1, 2]])
        let recorder = TrajectoryRecorder<Double>()
        recorder.observe(StepEvent(step: 0, sigma: 2, sigmaHat: 2, x: x, denoised: x * 0.5))
        recorder.observe(StepEvent(step: 0, sigma: 2, sigmaHat: 2, x: x * 3, denoised: x * 0.25))
        recorder.observe(StepEvent(step: 1, sigma: 1, sigmaHat: 1.2, x: x * 2, denoised: x * 0.1))
        #expect(throws: TrajectoryError.missingFinalDenoised(sigma: 0.5)) { try recorder.finish(x, sigma: 0.5, nfe: 3) }
        #expect(throws: TrajectoryError.self) { try recorder.finish(Matrix(rows: 2, columns: 2), sigma: 0, nfe: 3) }
        let record = try recorder.finish(x, sigma: 0.5, denoised: x * 0.9, nfe: 3)
        #expect(record.sigmas == [2, 1.2, 0.5])
        #expect(record.x == [x * 3, x * 2, x])
        #expect(record.denoised == [x * 0.25, x * 0.1, x * 0.9])
    }
}
