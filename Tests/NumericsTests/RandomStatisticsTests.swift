import Foundation
import Testing
@testable import ScoreKitNumerics

/// Statistical checks of the counter-based noise over about a million draws, with fixed seeds.
/// Bounds are 5 standard errors, or the 0.1 % critical value for Kolmogorov–Smirnov.
@Suite("CounterNormalRNG statistics")
struct RandomStatisticsTests {
    static let rows = 4096, columns = 256  // 2²⁰ draws
    let rng = CounterNormalRNG(seed: 20_240_611)

    /// An upper bound on the Kolmogorov–Smirnov distance sup_t |F_n(t) − F(t)| without sorting:
    /// the values are counted in M equal bins of F(x), and F_n is compared with F at the bin edges.
    /// Both CDFs are monotone, so between two edges the gap grows by at most one bin, 1/M.
    static func kolmogorovSmirnovBound(_ x: [Double], cdf: (Double) -> Double, bins: Int = 1 << 16) -> Double {
        var counts = [Int](repeating: 0, count: bins)
        for v in x { counts[min(Int(cdf(v) * Double(bins)), bins - 1)] += 1 }
        let n = Double(x.count)
        var below = 0, d = 0.0
        for k in 0..<bins {
            below += counts[k]  // values with F(x) < (k + 1)/M
            d = max(d, abs(Double(below) / n - Double(k + 1) / Double(bins)))
        }
        return d + 1 / Double(bins)
    }

    /// Pearson correlation of paired values.
    static func correlation(_ pairs: [(Double, Double)]) -> Double {
        let n = Double(pairs.count)
        let ma = pairs.reduce(0) { $0 + $1.0 } / n, mb = pairs.reduce(0) { $0 + $1.1 } / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (a, b) in pairs {
            sab += (a - ma) * (b - mb)
            saa += (a - ma) * (a - ma)
            sbb += (b - mb) * (b - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }

    @Test("normals: mean 0, variance 1, Kolmogorov–Smirnov against Φ, finite and within ±7",
          arguments: [false, true])
    func normalDistribution(inFloat: Bool) {
        let z: [Double] = inFloat
            ? rng.normals(rows: Self.rows, columns: Self.columns, draw: 0, as: Float.self).scalars.map(Double.init)
            : rng.normals(rows: Self.rows, columns: Self.columns, draw: 0, as: Double.self).scalars
        let n = Double(z.count)
        let mean = z.reduce(0, +) / n
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean) < 5 / n.squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / n).squareRoot())  // Var of s² is 2/n for N(0, 1)
        let d = Self.kolmogorovSmirnovBound(z) { 0.5 * erfc(-$0 / 2.0.squareRoot()) }
        #expect(d < 1.95 / n.squareRoot())
        #expect(z.allSatisfy { $0.isFinite && abs($0) < 7 })
    }

    @Test("uniforms: Kolmogorov–Smirnov against U(0, 1), strictly inside (0, 1)", arguments: [false, true])
    func uniformDistribution(inFloat: Bool) {
        let u: [Double] = inFloat
            ? rng.uniforms(rows: Self.rows, columns: Self.columns, draw: 5, as: Float.self).scalars.map(Double.init)
            : rng.uniforms(rows: Self.rows, columns: Self.columns, draw: 5, as: Double.self).scalars
        let d = Self.kolmogorovSmirnovBound(u) { $0 }
        #expect(d < 1.95 / Double(u.count).squareRoot())
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test("no correlation between neighbouring columns, samples and draws (values and squares)")
    func independence() {
        let z: Matrix<Double> = rng.normals(rows: 1024, columns: 256, draw: 0)
        let next: Matrix<Double> = rng.normals(rows: 1024, columns: 256, draw: 1)
        var columnPairs = [(Double, Double)](), samplePairs = [(Double, Double)](), drawPairs = [(Double, Double)]()
        for r in 0..<z.rows {
            for j in 0..<z.columns {
                if j + 1 < z.columns { columnPairs.append((z[r, j], z[r, j + 1])) }  // includes Box–Muller pairs
                if r + 1 < z.rows { samplePairs.append((z[r, j], z[r + 1, j])) }
                drawPairs.append((z[r, j], next[r, j]))
            }
        }
        for pairs in [columnPairs, samplePairs, drawPairs] {
            let bound = 5 / Double(pairs.count).squareRoot()
            #expect(abs(Self.correlation(pairs)) < bound)
            // Squares catch shared radii (a Box–Muller pair sharing u0 is uncorrelated only if done right).
            #expect(abs(Self.correlation(pairs.map { ($0.0 * $0.0, $0.1 * $0.1) })) < bound)
        }
    }

    @Test("Box–Muller pairs are jointly normal: the angle of (z₀, z₁) is uniform")
    func pairAngles() {
        let z: Matrix<Double> = rng.normals(rows: 2048, columns: 128, draw: 2)
        var angles = [Double]()
        for r in 0..<z.rows {
            for j in stride(from: 0, to: z.columns, by: 2) {
                angles.append((atan2(z[r, j + 1], z[r, j]) + Double.pi) / (2 * Double.pi))
            }
        }
        #expect(Self.kolmogorovSmirnovBound(angles) { $0 } < 1.95 / Double(angles.count).squareRoot())
    }
}
