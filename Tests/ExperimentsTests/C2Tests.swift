import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite struct C2Tests {
    private let context = ExperimentContext(quick: true, seed: 5, cacheFolder: FileManager.default.temporaryDirectory)

    @Test func smallRunIsFiniteAndItsVerdictFollowsTheNumbers() throws {
        let r = try C2DenoisingTrajectoryJump(steps: 10, batch: 16, digitsLimit: 100, components: 3).run(context)
        #expect(r.id == "C2" && r.paper == .chen && r.figures.count == 2)
        #expect(r.numbers.values.allSatisfy { $0.isFinite })
        let n = r.numbers
        var saves = [Bool](), faster = [Bool]()
        for key in ["gmm64", "digits"] {
            let full = try #require(n["\(key).full_mmd"]), floor = try #require(n["\(key).noise_floor_mmd"])
            #expect(floor >= 0)
            let bound = max(full, 0) * 1.1 + floor
            if let nfe = n["\(key).jump_nfe"] {
                #expect((1...10).contains(nfe))
                saves.append(nfe <= 8)
                faster.append(try #require(n["\(key).state_mmd_at_jump"]) >= 10 * bound)
            } else {
                saves.append(false)
                faster.append(false)
            }
        }
        let all = saves.allSatisfy { $0 } && faster.allSatisfy { $0 }
        #expect(r.verdict == (all ? .holds : (saves.contains(true) ? .partlyHolds : .doesNotHold)))
    }

    /// With a one-point data set the optimal denoiser returns that point at every (x, σ): the
    /// denoising trajectory sits on the final sample from the first step, ‖r_n − x₀‖ = 0, while the
    /// state approaches it as x_n − y = (σ_n/σ_T)(x_T − y) (Euler's convex steps shrink x_n − y by σ_{n+1}/σ_n).
    @Test func onePointDataPutsTheDenoisingTrajectoryOnTheEnd() throws {
        let point: [Double] = [0.5, -1, 2]
        let model = try EmpiricalDenoiser(data: Matrix(rowArrays: [point]))
        let reference = Matrix<Double>(rowArrays: [point, point.map { $0 + 0.1 }, point.map { $0 - 0.1 }])
        let sigmas = try ChenSetup.karras(steps: 8)
        let m = try C2DenoisingTrajectoryJump(steps: 8, batch: 4, digitsLimit: nil, components: 1)
            .measure("point", "point", model, reference: reference, training: reference, sigmas: sigmas, batch: 4, seed: 3)
        #expect(m.denoisedDistance.allSatisfy { $0 == 0 })
        let start = ChenSetup.start(count: 4, dimension: 3, seed: 3)
        let initial = ChenSetup.mean((0..<4).map { r in zip(start.row(r), point).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() })
        #expect(m.stateDistance.count == 8)
        for (n, sigma) in sigmas.dropLast().enumerated() {
            let expected = sigma / ChenSetup.sigmaMax * initial
            #expect(abs(m.stateDistance[n] - expected) <= 1e-9 * max(1, expected))
        }
        // r_n is the sample from step 0 on, so ODE-Jump already matches at the first step.
        #expect(m.jumpStep == 0)
    }
}
