import Foundation
import ScoreKitSamplers
import Testing

@Suite("Per-sample and Brownian-tree noise sources")
struct NoiseSourceTests {
    @Test("per-sample draws do not depend on how the batch is split")
    func perSampleBatchSplit() throws {
        var whole = try PerSampleNoiseSource<Double>(seed: 7)
        var head = try PerSampleNoiseSource<Double>(seed: 7)
        var tail = try PerSampleNoiseSource<Double>(seed: 7, firstSample: 4)
        for k in 0..<3 {
            let all = try whole.next(rows: 10, columns: 3, sigma: 1, sigmaNext: 0.5)
            let a = try head.next(rows: 4, columns: 3, sigma: 1, sigmaNext: 0.5)
            let b = try tail.next(rows: 6, columns: 3, sigma: 1, sigmaNext: 0.5)
            #expect(all == Matrix.vstack([a, b]), "draw \(k)")
        }
        #expect(whole.drawsUsed == 3)
        var other = try PerSampleNoiseSource<Double>(seed: 8)
        var again = try PerSampleNoiseSource<Double>(seed: 7)
        let first = try again.next(rows: 10, columns: 3, sigma: 1, sigmaNext: 0.5)
        #expect(try other.next(rows: 10, columns: 3, sigma: 1, sigmaNext: 0.5) != first)
        #expect(try again.next(rows: 10, columns: 3, sigma: 1, sigmaNext: 0.5) != first)
    }

    @Test("Brownian increments over [a, b] and [b, c] add up to the increment over [a, c]",
          arguments: [BrownianClock.sigma, .sigmaSquared])
    func additivity(clock: BrownianClock) throws {
        let (a, b, c) = (17.3, 2.51, 0.0371)
        func increment(_ s0: Double, _ s1: Double) throws -> Matrix<Double> {
            var tree = try BrownianTreeNoiseSource<Double>(seed: 3, sigmaMin: 0.002, sigmaMax: 80, clock: clock)
            let dt = abs(clock == .sigma ? s1 - s0 : s1 * s1 - s0 * s0)
            return try tree.next(rows: 5, columns: 4, sigma: s0, sigmaNext: s1) * dt.squareRoot()
        }
        let sum = try increment(a, b) + increment(b, c)
        #expect(refMaxAbsDifference(sum, try increment(a, c)) < 1e-12)
        // A source that served [a, b] first (and caches W(b)) gives the same [b, c].
        var tree = try BrownianTreeNoiseSource<Double>(seed: 3, sigmaMin: 0.002, sigmaMax: 80, clock: clock)
        _ = try tree.next(rows: 5, columns: 4, sigma: a, sigmaNext: b)
        let dt = abs(clock == .sigma ? c - b : c * c - b * b)
        let cached = try tree.next(rows: 5, columns: 4, sigma: b, sigmaNext: c) * dt.squareRoot()
        #expect(refMaxAbsDifference(cached, try increment(b, c)) < 1e-14)
    }

    @Test("Brownian increments are standard normal whatever the interval, disjoint ones uncorrelated, nested ones with correlation √(ℓ₁/ℓ₂)")
    func statistics() throws {
        let n = 4000
        var tree = try BrownianTreeNoiseSource<Double>(seed: 11, sigmaMin: 0.002, sigmaMax: 80)
        let intervals: [(Double, Double)] = [(80, 0.002), (20, 19.99), (3, 1), (1, 0.3), (0.30001, 0.3)]
        var draws: [[Double]] = []
        for (s0, s1) in intervals {
            let z = try tree.next(rows: n, columns: 1, sigma: s0, sigmaNext: s1).scalars
            let (m, v) = refColumnMoments(Matrix(column: z))
            #expect(abs(m[0]) < 5 / Double(n).squareRoot(), "mean over [\(s1), \(s0)]")
            #expect(abs(v[0] - 1) < 5 * (2 / Double(n)).squareRoot(), "variance over [\(s1), \(s0)]: \(v[0])")
            draws.append(z)
        }
        let bound = 4 / Double(n).squareRoot()
        #expect(abs(refCorrelation(draws[2], draws[3])) < bound)   // [1, 3] and [0.3, 1]
        #expect(abs(refCorrelation(draws[1], draws[2])) < bound)   // [19.99, 20] and [1, 3]
        // [0.002, 80] contains [1, 3]: corr = √(2/79.998)
        #expect(abs(refCorrelation(draws[0], draws[2]) - (2 / 79.998).squareRoot()) < bound)
        // Different samples (columns of one row set) are independent paths.
        let wide = try tree.next(rows: n, columns: 2, sigma: 3, sigmaNext: 1)
        #expect(abs(refCorrelation((0..<n).map { wide[$0, 0] }, (0..<n).map { wide[$0, 1] })) < bound)
    }

    @Test("Brownian paths do not depend on how the batch is split")
    func brownianBatchSplit() throws {
        var whole = try BrownianTreeNoiseSource<Double>(seed: 5, sigmaMin: 0.01, sigmaMax: 50)
        var head = try BrownianTreeNoiseSource<Double>(seed: 5, sigmaMin: 0.01, sigmaMax: 50)
        var tail = try BrownianTreeNoiseSource<Double>(seed: 5, sigmaMin: 0.01, sigmaMax: 50, firstSample: 4)
        for (s0, s1) in [(50.0, 12.5), (12.5, 0.7), (0.7, 0.01)] {
            let all = try whole.next(rows: 10, columns: 2, sigma: s0, sigmaNext: s1)
            let parts = Matrix.vstack([try head.next(rows: 4, columns: 2, sigma: s0, sigmaNext: s1),
                                       try tail.next(rows: 6, columns: 2, sigma: s0, sigmaNext: s1)])
            #expect(all == parts)
        }
    }

    @Test("a Float tree gives the Double tree's increments to Float precision")
    func floatTree() throws {
        var f = try BrownianTreeNoiseSource<Float>(seed: 9, sigmaMin: 0.002, sigmaMax: 80)
        var d = try BrownianTreeNoiseSource<Double>(seed: 9, sigmaMin: 0.002, sigmaMax: 80)
        let zf = try f.next(rows: 6, columns: 3, sigma: 10, sigmaNext: 5)
        let zd = try d.next(rows: 6, columns: 3, sigma: 10, sigmaNext: 5)
        #expect(refMaxAbsDifference(zf.converted(to: Double.self), zd) < 1e-4)
    }

    @Test("bad Brownian-tree requests are typed errors")
    func badRequests() throws {
        #expect(throws: SamplingError.self) { try BrownianTreeNoiseSource<Double>(seed: 1, sigmaMin: 2, sigmaMax: 1) }
        #expect(throws: SamplingError.self) { try BrownianTreeNoiseSource<Double>(seed: 1, sigmaMin: -1, sigmaMax: 1) }
        var tree = try BrownianTreeNoiseSource<Double>(seed: 1, sigmaMin: 0.1, sigmaMax: 1)
        #expect(throws: SamplingError.self) { try tree.next(rows: 2, columns: 2, sigma: 0.5, sigmaNext: 0.5) }
        #expect(throws: SamplingError.self) { try tree.next(rows: 2, columns: 2, sigma: 2, sigmaNext: 0.5) }
        #expect(throws: SamplingError.self) { try tree.next(rows: 2, columns: 2, sigma: 0.5, sigmaNext: .nan) }
        #expect(throws: SamplingError.self) { try PerSampleNoiseSource<Double>(seed: 1, firstSample: -1) }
    }
}
