import Foundation
import Testing
@testable import ScoreKitTraining

@Suite struct NoiseDistributionTests {
    let n = 20_000

    /// n draws of σ with independent uniforms and normals.
    func draws(_ distribution: NoiseDistribution) -> [Double] {
        let rng = CounterNormalRNG(seed: 21)
        let z: Matrix<Double> = rng.normals(rows: n, columns: 1, draw: 1)
        let u: Matrix<Double> = rng.uniforms(rows: n, columns: 1, draw: 2)
        return (0..<n).map { distribution.sigma(uniform: u.scalars[$0], normal: z.scalars[$0]) }
    }

    func moments(_ v: [Double]) -> (mean: Double, variance: Double) {
        let m = v.reduce(0, +) / Double(v.count)
        return (m, v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1))
    }

    @Test func logNormalHasTheMomentsOfLnSigma() {
        let (m, v) = moments(draws(.edm).map { Foundation.log($0) })
        #expect(abs(m - -1.2) < 0.04)     // standard error 1.2/√n ≈ 0.0085
        #expect(abs(v - 1.44) < 0.06)     // standard error 1.44·√(2/n) ≈ 0.014
    }

    @Test func logUniformIsUniformInLnSigma() {
        let (a, b) = (Foundation.log(0.02), Foundation.log(100.0))
        let logs = draws(.songVE).map { Foundation.log($0) }
        let (m, v) = moments(logs)
        #expect(abs(m - (a + b) / 2) < 0.05)
        #expect(abs(v - (b - a) * (b - a) / 12) < 0.15)
        #expect(logs.allSatisfy { $0 >= a - 1e-12 && $0 <= b + 1e-12 })
    }

    @Test func geometricLevelsAreEquallyLikely() {
        let levels = 10
        let expected = (0..<levels).map { i in 50 * Foundation.pow(0.01 / 50, Double(i) / Double(levels - 1)) }
        let sigmas = NoiseDistribution.geometricSigmas(minimum: 0.01, maximum: 50, count: levels)
        for (a, b) in zip(sigmas, expected) { #expect(abs(a / b - 1) < 1e-12) }
        let d = draws(.geometricLevels(minimum: 0.01, maximum: 50, count: levels))
        for level in sigmas {
            let frequency = Double(d.filter { $0 == level }.count) / Double(n)
            #expect(abs(frequency - 0.1) < 0.01)   // standard error 0.002
        }
    }

    @Test func vpTimeIsUniform() {
        let (bd, bm, e) = (19.9, 0.1, 1e-5)
        // Invert σ² = exp(½ β_d t² + β_min t) − 1 for t.
        let times = draws(.vp).map { s in (-bm + (bm * bm + 2 * bd * Foundation.log1p(s * s)).squareRoot()) / bd }
        let (m, v) = moments(times)
        #expect(abs(m - (1 + e) / 2) < 0.01)
        #expect(abs(v - 1.0 / 12) < 0.005)
        #expect(times.allSatisfy { $0 >= e * 0.999 && $0 <= 1 + 1e-9 })
    }

    @Test func tableFollowsItsProbabilities() {
        let d = draws(.table(sigmas: [0.1, 1, 10], probabilities: [0.2, 0.5, 0.3]))
        for (sigma, p) in [(0.1, 0.2), (1, 0.5), (10, 0.3)] {
            #expect(abs(Double(d.filter { $0 == sigma }.count) / Double(n) - p) < 0.015)
        }
    }

    @Test func invalidDistributionsAreRefused() {
        #expect(throws: TrainingError.self) { try NoiseDistribution.logUniform(minimum: 2, maximum: 1).validate() }
        #expect(throws: TrainingError.self) { try NoiseDistribution.table(sigmas: [], probabilities: nil).validate() }
        #expect(throws: TrainingError.self) { try NoiseDistribution.table(sigmas: [1], probabilities: [1, 2]).validate() }
        #expect(throws: TrainingError.self) { try NoiseDistribution.geometricLevels(minimum: 0.1, maximum: 1, count: 1).validate() }
    }
}
