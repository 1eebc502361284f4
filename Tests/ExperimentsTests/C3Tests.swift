import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite struct C3Tests {
    /// An exact claim: the r-difference forms must reproduce the library's samplers.
    @Test func smallRunHolds() throws {
        let context = ExperimentContext(quick: true, seed: 5, cacheFolder: FileManager.default.temporaryDirectory)
        let r = try C3SecondOrderFiniteDifferences(batch: 2, grid: 401, digitsLimit: 40).run(context)
        #expect(r.verdict == .holds, "\(r.keyNumber)")
        #expect(r.numbers.values.allSatisfy(\.isFinite) && r.figures.count == 3)
        #expect(try #require(r.numbers["max_abs_difference_all"]) < 1e-12)
    }

    /// The difference form is not the Euler method: on a single-Gaussian denoiser its Heun result
    /// matches the second-order Taylor step written independently for D(x; t) = c x (closed form).
    @Test func heunDifferenceFormMatchesAHandComputedStep() throws {
        let g = try GaussianDenoiser<Double>.isotropic(mean: [0], variance: 1)
        let x = Matrix<Double>(rowArrays: [[2]])
        let (t0, t1) = (2.0, 1.0)
        let out = try C3SecondOrderFiniteDifferences.differenceForm(.heun, g, from: x, sigmas: [t0, t1])
        // D(x; t) = x/(1 + t²); Heun by hand: d0 = (x − D)/t, x̃ = x + h d0, d1 = (x̃ − D(x̃))/t1.
        let d0 = (2 - 2 / (1 + t0 * t0)) / t0, h = t1 - t0
        let xt = 2 + h * d0
        let d1 = (xt - xt / (1 + t1 * t1)) / t1
        #expect(abs(out[0, 0] - (2 + h * (d0 + d1) / 2)) < 1e-14)
    }
}
