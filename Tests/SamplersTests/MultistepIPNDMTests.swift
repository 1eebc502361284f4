import Foundation
import Testing
@testable import ScoreKitSamplers

/// iPNDM has no oracle run: it is checked against Euler's method written out here, against the
/// Adams–Bashforth recursion on a slope that does not depend on x (an integral of a polynomial,
/// known in closed form), and by its convergence on Gaussian data.
@Suite("Multistep: iPNDM")
struct MultistepIPNDMTests {
    @Test("order 1 is Euler's method (k-diffusion sample_euler) on the empirical denoiser")
    func orderOneIsEuler() throws {
        let fixtures = try #require(Multistep.fixtures)
        let denoiser = Multistep.EmpiricalDenoiser(points: fixtures.inputs.X)
        let sigmas = [80, 20, 5, 1.5, 0.4, 0.1, 0.002, 0]
        let x0 = Matrix(rowArrays: Array(fixtures.inputs.Z.prefix(8))) * 80
        var euler = x0
        for i in 0..<(sigmas.count - 1) {
            let d = try denoiser.denoise(euler, sigma: sigmas[i])
            for k in euler.scalars.indices {
                euler.scalars[k] += (euler.scalars[k] - d.scalars[k]) / sigmas[i] * (sigmas[i + 1] - sigmas[i])
            }
        }
        let model = SamplingModel(denoiser)
        let out = try sampleIPNDM(model, from: x0, sigmas: sigmas, order: 1)
        #expect(Multistep.maxAbsDifference(out, euler) < 1e-13)
        #expect(model.nfe == sigmas.count - 1)
    }

    /// D(x; σ) = x − σ q(σ) makes dx/dσ = q(σ), so x(σ_end) − x(σ₀) = ∫ q dσ. On a uniform grid
    /// Adams–Bashforth of order p ≥ 2 integrates a linear q exactly; only the first (Euler) step errs,
    /// by −q′h²/2.
    struct PolynomialSlope: Denoiser {
        let coefficients: [Double]  // q(σ) = Σ c_k σ^k
        var dimension: Int { 1 }
        func q(_ s: Double) -> Double { coefficients.enumerated().reduce(0) { $0 + $1.element * Foundation.pow(s, Double($1.offset)) } }
        func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> { x.map { $0 - sigma * q(sigma) } }
    }

    @Test("on a linear slope every order is exact after the Euler warm-up step")
    func linearSlopeExactness() throws {
        let slope = PolynomialSlope(coefficients: [0.3, -0.7])
        let sigmas = (0...10).map { 3.0 - 0.25 * Double($0) }  // uniform, 3 → 0.5
        let x = Matrix<Double>(rowArrays: [[1.25]])
        let h = sigmas[1] - sigmas[0]
        // exact integral of q plus the first Euler step's local error −q'·h²/2 (q' = −0.7)
        let integral = 0.3 * (sigmas[10] - sigmas[0]) - 0.35 * (sigmas[10] * sigmas[10] - sigmas[0] * sigmas[0])
        let expected = 1.25 + integral - (-0.7) * h * h / 2
        for order in 2...4 {
            let out = try sampleIPNDM(SamplingModel(slope), from: x, sigmas: sigmas, order: order)
            #expect(abs(out.scalars[0] - expected) < 1e-12, "order \(order): \(out.scalars[0]) vs \(expected)")
        }
    }

    @Test("higher order means smaller error on Gaussian data; one-step and zero-ending schedules behave")
    func gaussianAccuracy() throws {
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)
        let x = Matrix<Double>(rowArrays: [[3, -1], [0.5, 2]])
        let sigmas = (0...20).map { 3.0 - 0.125 * Double($0) }  // 3 → 0.5
        let exact = denoiser.exactSolution(x, from: 3, to: 0.5)
        let errors = try (1...4).map { order in
            Multistep.maxAbsDifference(try sampleIPNDM(SamplingModel(denoiser), from: x, sigmas: sigmas, order: order), exact)
        }
        #expect(errors[1] < errors[0] / 4 && errors[3] < errors[1])
        let halved = try sampleIPNDM(SamplingModel(denoiser), from: x, sigmas: (0...40).map { 3.0 - 0.0625 * Double($0) })
        #expect(Multistep.observedOrder([errors[3], Multistep.maxAbsDifference(halved, exact)]) > 1.8)
        let oneStep = try sampleIPNDM(SamplingModel(denoiser), from: x, sigmas: [3, 0])
        #expect(oneStep == (try denoiser.denoise(x, sigma: 3)))
        #expect(throws: SamplingError.self) { try sampleIPNDM(SamplingModel(denoiser), from: x, sigmas: [3, 0], order: 5) }
        #expect(throws: SamplingError.self) { try sampleIPNDM(SamplingModel(denoiser), from: x, sigmas: [3, 4, 0]) }
    }

    @Test("the dispatcher knows every sampler by its command-line name")
    func names() {
        #expect(MultistepSamplerName.allCases.map(\.rawValue) == ["dpm_fast", "dpm_adaptive", "unipc", "dpmpp_3m", "ipndm", "deis"])
    }
}
