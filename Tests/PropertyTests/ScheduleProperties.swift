import Foundation
import PropertyBased
import ScoreKit
import Testing

/// Every schedule builder, for any valid arguments, gives strictly decreasing σ that start and
/// end where its formula says (closed forms evaluated here in Double), then 0 when appended.
@Suite struct ScheduleProperties {
    static let steps = Gen.int(in: 1...300)
    /// σ_min = 10^a, σ_max = σ_min · 10^b with a ∈ [−4, 0], b ∈ [0.5, 5].
    static let range = zip(Gen.double(in: -4...0), Gen.double(in: 0.5...5)).map { a, b in
        (Double.pow(10, a), Double.pow(10, a + b))
    }
    static let rho = Gen.double(in: 0.5...10)

    /// Strictly decreasing, positive before the final 0, with the given first and last positive σ
    /// (relative tolerance 1e-12: the builders use torch's pow and exp kernels, not libm).
    func expectShape(_ s: Schedule<Double>, steps: Int, first: Double, last: Double,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let sigmas = s.sigmas
        #expect(sigmas.count == steps + 1, sourceLocation: sourceLocation)
        #expect(sigmas.last == 0, sourceLocation: sourceLocation)
        #expect(zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 > $1 }, sourceLocation: sourceLocation)
        #expect(Swift.abs(sigmas[0] - first) <= 1e-12 * first, "σ₀ \(sigmas[0]) vs \(first)", sourceLocation: sourceLocation)
        if steps > 1 {
            let got = sigmas[steps - 1]
            #expect(Swift.abs(got - last) <= 1e-12 * last, "σ_last \(got) vs \(last)", sourceLocation: sourceLocation)
        }
    }

    /// The last σ is (σ_max^{1/ρ} + (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ: the sum cancels, so σ_min is
    /// reached to a few ulp of σ_max^{1/ρ} on the 1/ρ scale (k-diffusion's formula, kept exactly),
    /// not to a few ulp of σ_min; that end is checked on that scale.
    @Test func karras() async {
        await propertyCheck(count: 100, input: Self.steps, Self.range, Self.rho) { steps, range, rho in
            let (lo, hi) = range
            let s = try Schedule<Double>.karras(steps: steps, sigmaMin: lo, sigmaMax: hi, rho: rho)
            expectShape(s, steps: steps, first: hi, last: s.sigmas[max(0, steps - 1)])
            if steps > 1 {
                let root = { (x: Double) in Foundation.pow(x, 1 / rho) }
                #expect(Swift.abs(root(s.sigmas[steps - 1]) - root(lo)) <= 8 * Double.ulpOfOne * root(hi))
            }
        }
    }

    @Test func exponential() async {
        await propertyCheck(count: 100, input: Self.steps, Self.range) { steps, range in
            let (lo, hi) = range
            expectShape(try Schedule<Double>.exponential(steps: steps, sigmaMin: lo, sigmaMax: hi),
                        steps: steps, first: hi, last: lo)
        }
    }

    @Test func polyexponential() async {
        await propertyCheck(count: 100, input: Self.steps, Self.range, Self.rho) { steps, range, rho in
            let (lo, hi) = range
            expectShape(try Schedule<Double>.polyexponential(steps: steps, sigmaMin: lo, sigmaMax: hi, rho: rho),
                        steps: steps, first: hi, last: lo)
        }
    }

    /// σ(t) = √(exp(½β_d t² + β_min t) − 1) at t = 1 and t = ε_s.
    @Test func vp() async {
        let beta = zip(Gen.double(in: 0.1...30), Gen.double(in: 0.01...2), Gen.double(in: -5 ... -1))
        await propertyCheck(count: 100, input: Self.steps, beta) { steps, beta in
            let (betaD, betaMin, logEps) = beta
            let eps = Double.pow(10, logEps)
            let sigma = { (t: Double) in (Foundation.exp(betaD * t * t / 2 + betaMin * t) - 1).squareRoot() }
            expectShape(try Schedule<Double>.vp(steps: steps, betaD: betaD, betaMin: betaMin, epsS: eps),
                        steps: steps, first: sigma(1), last: sigma(eps))
        }
    }

    /// σ(t) = σ_min (σ_max/σ_min)^t at t = 1 and t = ε.
    @Test func veGeometric() async {
        await propertyCheck(count: 100, input: Self.steps, Self.range, Gen.double(in: -6 ... -2)) { steps, range, logEps in
            let (lo, hi) = range
            let eps = Double.pow(10, logEps)
            expectShape(try Schedule<Double>.veGeometric(steps: steps, sigmaMin: lo, sigmaMax: hi, tEpsilon: eps),
                        steps: steps, first: hi, last: lo * Foundation.pow(hi / lo, eps))
        }
    }
}
