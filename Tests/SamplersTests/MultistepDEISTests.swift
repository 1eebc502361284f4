import Foundation
import Testing
@testable import ScoreKitSamplers

/// tAB-DEIS has no oracle run: its coefficients are checked against Simpson's rule on a slope that
/// is a polynomial in VP time, order 1 against Euler, and its accuracy on Gaussian data.
@Suite("Multistep: DEIS")
struct MultistepDEISTests {
    /// EDM's VP time, written out from Karras et al. (2022), Table 1, with β_d, β_min fitted so that
    /// σ(1e-3) = 0.002 and σ(1) = 80: σ(t) = √(exp(β_d t²/2 + β_min t) − 1), inverted.
    static func vpTime(_ sigma: Double) -> Double {
        let a = Foundation.log(1 + 0.002 * 0.002), b = Foundation.log(1 + 80.0 * 80.0)
        let betaD = 2 * (a / 1e-3 - b) / (1e-3 - 1), betaMin = b - betaD / 2
        return (Foundation.sqrt(betaMin * betaMin + 2 * betaD * Foundation.log(1 + sigma * sigma)) - betaMin) / betaD
    }

    @Test("the fitted VP time maps [0.002, 80] onto [1e-3, 1]")
    func vpTimeEndpoints() {
        #expect(abs(DEISTime.vpTime(80) - 1) < 1e-12)
        #expect(abs(DEISTime.vpTime(0.002) - 1e-3) < 1e-9)
        #expect(abs(DEISTime.vpTime(3.7) - Self.vpTime(3.7)) < 1e-12)
    }

    @Test("16-point Gauss–Legendre integrates polynomials of degree 31 exactly")
    func quadrature() {
        let (nodes, weights) = DEISTime.gaussLegendre
        for degree in [0, 1, 2, 7, 30] {
            let integral = zip(nodes, weights).reduce(0.0) { $0 + $1.1 * Foundation.pow($1.0, Double(degree)) }
            #expect(abs(integral - (degree % 2 == 0 ? 2 / Double(degree + 1) : 0)) < 1e-14, "degree \(degree)")
        }
    }

    /// D = x − σ q(t(σ)) gives dx/dσ = q(t(σ)). For q linear in t, tAB of order ≥ 2 integrates every
    /// step after the first exactly; the first (Euler) step gives (σ₁ − σ₀) q(t₀).
    struct LinearInVPTime: Denoiser {
        var dimension: Int { 1 }
        func q(_ sigma: Double) -> Double { 0.4 - 1.3 * MultistepDEISTests.vpTime(sigma) }
        func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> { x.map { $0 - sigma * q(sigma) } }
    }

    @Test("on a slope linear in VP time every step after the Euler warm-up is exact (vs Simpson's rule)")
    func exactOnLinearSlope() throws {
        let slope = LinearInVPTime()
        let sigmas = [12.0, 7, 4, 2.5, 1.2, 0.6, 0.2]
        let simpson: (Double, Double) -> Double = { a, b in  // composite Simpson, 2·10⁴ panels
            let n = 20_000, h = (b - a) / Double(n)
            var s = slope.q(a) + slope.q(b)
            for k in 1..<n { s += (k % 2 == 1 ? 4 : 2) * slope.q(a + Double(k) * h) }
            return s * h / 3
        }
        let expected = 2.0 + (sigmas[1] - sigmas[0]) * slope.q(sigmas[0]) + simpson(sigmas[1], sigmas[6])
        for order in 2...4 {
            let out = try sampleDEIS(SamplingModel(slope), from: Matrix(rowArrays: [[2]]), sigmas: sigmas, order: order)
            #expect(abs(out.scalars[0] - expected) < 1e-10, "order \(order): \(out.scalars[0]) vs \(expected)")
        }
    }

    @Test("order 1 is Euler; higher orders are more accurate on Gaussian data; edge cases")
    func gaussian() throws {
        let denoiser = Multistep.IsotropicGaussianDenoiser<Double>(variance: 1, dimension: 2)
        let x = Matrix<Double>(rowArrays: [[30, -10], [4, 25]])
        let sigmas = Multistep.geometricSigmas(from: 20, to: 0.05, steps: 16)
        let euler = try sampleIPNDM(SamplingModel(denoiser), from: x, sigmas: sigmas, order: 1)
        let deis1 = try sampleDEIS(SamplingModel(denoiser), from: x, sigmas: sigmas, order: 1)
        #expect(Multistep.maxAbsDifference(euler, deis1) < 1e-12)
        let exact = denoiser.exactSolution(x, from: 20, to: 0.05)
        let errors = try (1...4).map { order in
            Multistep.maxAbsDifference(try sampleDEIS(SamplingModel(denoiser), from: x, sigmas: sigmas, order: order), exact)
        }
        #expect(errors[1] < errors[0] / 4 && errors[2] < errors[1] && errors[3] < errors[0] / 4)
        let oneStep = try sampleDEIS(SamplingModel(denoiser), from: x, sigmas: [3, 0])
        #expect(oneStep == (try denoiser.denoise(x, sigma: 3)))
        #expect(throws: SamplingError.self) { try sampleDEIS(SamplingModel(denoiser), from: x, sigmas: [3, 0], order: 0) }
    }
}
