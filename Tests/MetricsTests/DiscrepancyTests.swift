import Foundation
import Testing
@testable import ScoreKitMetrics

/// MMD²_u for one Gaussian kernel, by explicit double loops over ordered pairs (i ≠ j within).
private func bruteForceMMD(_ x: [[Double]], _ y: [[Double]], bandwidth h: Double) -> Double {
    func k(_ p: [Double], _ q: [Double]) -> Double { Foundation.exp(-pow(euclidean(p, q), 2) / (2 * h * h)) }
    var sxx = 0.0, syy = 0.0, sxy = 0.0
    for i in x.indices { for j in x.indices where j != i { sxx += k(x[i], x[j]) } }
    for i in y.indices { for j in y.indices where j != i { syy += k(y[i], y[j]) } }
    for p in x { for q in y { sxy += k(p, q) } }
    let n = Double(x.count), m = Double(y.count)
    return sxx / (n * (n - 1)) + syy / (m * (m - 1)) - 2 * sxy / (n * m)
}

/// Energy distance from the mean distances: 2·E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖ (V-statistic).
private func bruteForceEnergy(_ x: [[Double]], _ y: [[Double]]) -> Double {
    func meanDistance(_ a: [[Double]], _ b: [[Double]]) -> Double {
        a.reduce(0.0) { acc, p in acc + b.reduce(0.0) { $0 + euclidean(p, $1) } } / Double(a.count * b.count)
    }
    return 2 * meanDistance(x, y) - meanDistance(x, x) - meanDistance(y, y)
}

/// The median of all pairwise distances of the pooled rows, by sorting.
private func bruteForceMedian(_ z: [[Double]]) -> Double {
    var d = [Double]()
    for i in z.indices { for j in (i + 1)..<z.count { d.append(euclidean(z[i], z[j])) } }
    d.sort()
    return d.count % 2 == 1 ? d[d.count / 2] : (d[d.count / 2 - 1] + d[d.count / 2]) / 2
}

@Suite struct DiscrepancyTests {
    @Test func mmdMatchesDoubleLoopsPerScale() throws {
        let x = gaussianSample(7, 3, seed: 1, as: Double.self), y = gaussianSample(5, 3, seed: 2, shift: 0.4, as: Double.self)
        let family = try RBFKernelFamily(bandwidth: 1.3)
        let mmd = try Metrics.maximumMeanDiscrepancy(x, y, kernels: family)
        for (s, scale) in RBFKernelFamily.scales.enumerated() {
            let expected = bruteForceMMD(points(x), points(y), bandwidth: scale * 1.3)
            #expect(abs(mmd.perScale[s] - expected) < 1e-12)
        }
        #expect(abs(mmd.value - mmd.perScale.reduce(0, +) / 3) < 1e-15)
    }

    @Test func mmdOverManyTilesAndBothCoresMatchesDoubleLoopsInFloat() throws {
        // 1100 × 1100 cross pairs exceed the parallel threshold; 1100 rows span five tiles.
        let x = gaussianSample(1100, 3, seed: 3, as: Float.self), y = gaussianSample(1050, 3, seed: 4, shift: 0.2, as: Float.self)
        let family = try RBFKernelFamily(bandwidth: 1.1)
        let mmd = try Metrics.maximumMeanDiscrepancy(x, y, kernels: family)
        let expected = bruteForceMMD(points(x), points(y), bandwidth: 1.1)
        #expect(abs(mmd.perScale[1] - expected) < 2e-5 * abs(expected) + 1e-6)
    }

    @Test func medianHeuristicIsTheMedianPooledDistance() throws {
        // 4 + 3 points: 21 pairs (odd); 4 + 4 points: 28 pairs (even, mean of the middle two).
        for m in [3, 4] {
            let x = gaussianSample(4, 2, seed: 5, as: Double.self), y = gaussianSample(m, 2, seed: 6, shift: 1, as: Double.self)
            let h = try RBFKernelFamily.medianHeuristic(x, y).bandwidth
            #expect(abs(h - bruteForceMedian(points(x) + points(y))) < 1e-12)
        }
    }

    @Test func medianHeuristicUsesTheStridedSubsampleAboveTheLimit() throws {
        // 150 + 61 points, limit 100: the points z_⌊100i/211⌋ of the pooled sample (even pair count).
        let x = gaussianSample(150, 2, seed: 7, as: Double.self), y = gaussianSample(61, 2, seed: 8, shift: 3, as: Double.self)
        let pooled = points(x) + points(y)
        let subsample = (0..<100).map { pooled[$0 * 211 / 100] }
        let h = try RBFKernelFamily.medianHeuristic(x, y, subsampleSize: 100).bandwidth
        #expect(abs(h - bruteForceMedian(subsample)) < 1e-12)
        #expect(abs(h - bruteForceMedian(pooled)) > 1e-6)  // the subsample matters
        // 99 points: an odd number of pairs (4851).
        let h99 = try RBFKernelFamily.medianHeuristic(x, y, subsampleSize: 99).bandwidth
        #expect(abs(h99 - bruteForceMedian((0..<99).map { pooled[$0 * 211 / 99] })) < 1e-12)
    }

    @Test func medianHeuristicFallsBackWhenMostPairsCoincide() throws {
        // Three copies of 0 and one point at 4: distances 0,0,0,4,4,4 → median 0, mean 2.
        let x = Matrix<Double>(column: [0, 0, 0]), y = Matrix<Double>(column: [4])
        #expect(try RBFKernelFamily.medianHeuristic(x, y).bandwidth == 2)
        #expect(try RBFKernelFamily.medianHeuristic(x, x).bandwidth == 1)
    }

    @Test func mmdOfASampleWithItselfIsItsUnbiasedValue() throws {
        // x = y: MMD²_u = 2 S/(n²(n−1)) − 2/n with S = Σ_{i≠j} k(x_i, x_j), small but not 0.
        let x = gaussianSample(40, 4, seed: 9, as: Double.self)
        let mmd = try Metrics.maximumMeanDiscrepancy(x, x)
        let p = points(x), n = Double(p.count)
        for (s, scale) in RBFKernelFamily.scales.enumerated() {
            let h = scale * mmd.kernels.bandwidth
            var offDiagonal = 0.0
            for i in p.indices { for j in p.indices where j != i {
                offDiagonal += Foundation.exp(-pow(euclidean(p[i], p[j]), 2) / (2 * h * h))
            } }
            let expected = 2 * offDiagonal / (n * n * (n - 1)) - 2 / n
            #expect(abs(mmd.perScale[s] - expected) < 1e-12)
            #expect(abs(mmd.perScale[s]) < 0.05)
        }
    }

    @Test func mmdGrowsWithTheShiftBetweenGaussians() throws {
        let x = gaussianSample(200, 2, seed: 10, as: Double.self)
        let family = try RBFKernelFamily(bandwidth: 1.5)
        var previous = 0.0
        for shift in [0.25, 0.5, 1, 2] {
            let y = gaussianSample(200, 2, seed: 11, shift: shift, as: Double.self)
            let fixed = try Metrics.maximumMeanDiscrepancy(x, y, kernels: family).value
            #expect(fixed > previous)
            previous = fixed
            #expect(try Metrics.maximumMeanDiscrepancy(x, y).value > 0)
        }
    }

    @Test func energyDistanceMatchesDoubleLoops() throws {
        let x = gaussianSample(9, 3, seed: 12, as: Double.self), y = gaussianSample(6, 3, seed: 13, shift: 0.7, as: Double.self)
        #expect(relativeError(try Metrics.energyDistance(x, y), bruteForceEnergy(points(x), points(y))) < 1e-12)
        let xf = gaussianSample(1100, 2, seed: 14, as: Float.self), yf = gaussianSample(1000, 2, seed: 15, shift: 0.3, as: Float.self)
        #expect(relativeError(try Metrics.energyDistance(xf, yf), bruteForceEnergy(points(xf), points(yf))) < 1e-4)
    }

    @Test func energyDistanceOfTwoPointMassesIsTwiceTheirDistance() throws {
        let x = Matrix<Double>(column: [1.5, 1.5, 1.5]), y = Matrix<Double>(column: [-2.25, -2.25])
        #expect(relativeError(try Metrics.energyDistance(x, y), 2 * 3.75) < 1e-14)
        #expect(try Metrics.energyDistance(x, x) == 0)
    }

    @Test func badInputThrowsTypedErrors() {
        let x = gaussianSample(5, 3, seed: 16, as: Float.self), y = gaussianSample(5, 2, seed: 17, as: Float.self)
        #expect(throws: MetricsError.dimensionMismatch(what: "reference", expected: 3, found: 2)) {
            try Metrics.maximumMeanDiscrepancy(x, y)
        }
        #expect(throws: MetricsError.tooFewSamples(what: "reference", count: 1, required: 2)) {
            try Metrics.maximumMeanDiscrepancy(x, x.rows(0..<1))
        }
        var bad = x
        bad[2, 1] = .nan
        #expect(throws: MetricsError.nonFinite(what: "samples")) { try Metrics.energyDistance(bad, x) }
        #expect(throws: MetricsError.self) { try RBFKernelFamily(bandwidth: 0) }
    }
}
