import Foundation
import Testing
@testable import ScoreKitMetrics

/// Precision and recall by sorting each point's distances (Kynkäänniemi et al. 2019).
private func bruteForcePrecisionRecall(_ x: [[Double]], _ y: [[Double]], k: Int) -> (Double, Double) {
    func radii(_ a: [[Double]]) -> [Double] {
        a.indices.map { i in a.indices.filter { $0 != i }.map { euclidean(a[i], a[$0]) }.sorted()[k - 1] }
    }
    func share(_ a: [[Double]], inside b: [[Double]]) -> Double {
        let r = radii(b)
        return Double(a.filter { p in b.indices.contains { euclidean(p, b[$0]) <= r[$0] } }.count) / Double(a.count)
    }
    return (share(x, inside: y), share(y, inside: x))
}

@Suite struct NeighbourhoodTests {
    @Test func precisionRecallMatchesSortedDistances() throws {
        let x = gaussianSample(40, 2, seed: 50, as: Double.self), y = gaussianSample(33, 2, seed: 51, shift: 0.8, scale: 0.7, as: Double.self)
        for k in [1, 3, 5] {
            let pr = try Metrics.precisionRecall(x, y, k: k)
            let (p, r) = bruteForcePrecisionRecall(points(x), points(y), k: k)
            #expect(pr.precision == p && pr.recall == r)
            #expect(pr.precision > 0 && pr.precision < 1)
        }
    }

    @Test func precisionRecallAcrossSeveralTilesMatchesSortedDistances() throws {
        // 520 points span three tiles: neighbours found in mirrored tiles must be merged in.
        let x = gaussianSample(520, 2, seed: 59, as: Float.self), y = gaussianSample(300, 2, seed: 60, shift: 0.5, as: Float.self)
        let pr = try Metrics.precisionRecall(x, y)
        let (p, r) = bruteForcePrecisionRecall(points(x), points(y), k: 3)
        #expect(abs(pr.precision - p) <= 1.0 / 520 && abs(pr.recall - r) <= 1.0 / 300)  // a Float boundary tie at most
    }

    @Test func neighbourRadiiMatchSortedDistancesInBothSweeps() {
        // 600 points: three tiles; the triangular sweep merges mirrored lists, the full one does not.
        let x = gaussianSample(600, 3, seed: 61, as: Double.self)
        let p = points(x)
        let expected = p.indices.map { i in p.indices.map { pow(euclidean(p[i], p[$0]), 2) }.sorted()[3] }
        let sweep = PairwiseDistanceSweep(within: x)
        for limit in [0, 10_000] {
            let radii = sweep.neighbourRadii(rank: 3, triangularLimit: limit)
            #expect(zip(radii, expected).allSatisfy { abs($0 - $1) <= 1e-12 * max($1, 1) })
        }
    }

    @Test func identicalSetsAreFullyCoveredAndFarSetsNotAtAll() throws {
        let x = gaussianSample(600, 5, seed: 52, as: Float.self)
        #expect(try Metrics.precisionRecall(x, x) == PrecisionRecall(precision: 1, recall: 1))
        let far = gaussianSample(500, 5, seed: 53, shift: 100, as: Float.self)
        #expect(try Metrics.precisionRecall(x, far) == PrecisionRecall(precision: 0, recall: 0))
    }

    @Test func copiesOfTrainingPointsAreMemorised() throws {
        let train = gaussianSample(300, 4, seed: 54, scale: 10, as: Float.self)
        let copies = train.rows(at: [3, 17, 17, 250, 299])
        let result = try Metrics.trainingSetProximity(copies, train: train)
        #expect(result == TrainingSetProximity(memorization: 1, nearestNeighbourDistance: 0))
        let far = gaussianSample(20, 4, seed: 55, shift: 1000, as: Float.self)
        #expect(try Metrics.trainingSetProximity(far, train: train).memorization == 0)
    }

    @Test func memorisationAndNearestDistanceMatchLoops() throws {
        // Training points plus noise of growing size: some samples memorised, some not.
        let train = gaussianSample(50, 3, seed: 56, as: Double.self)
        var g = SplitMix64(57)
        let x = Matrix<Double>(rows: 40, columns: 3) { i, j in train[i, j] + Double(i) / 40 * g.normal() }
        var memorised = 0, total = 0.0
        for p in points(x) {
            let d = points(train).map { euclidean(p, $0) }.sorted()
            if d[0] < d[1] / 3 { memorised += 1 }
            total += d[0]
        }
        let result = try Metrics.trainingSetProximity(x, train: train)
        #expect(result.memorization == Double(memorised) / 40)
        #expect(result.memorization > 0 && result.memorization < 1)
        #expect(relativeError(result.nearestNeighbourDistance, total / 40) < 1e-12)
    }

    @Test func badInputThrows() {
        let x = gaussianSample(4, 2, seed: 58, as: Double.self)
        #expect(throws: MetricsError.tooFewSamples(what: "training set", count: 1, required: 2)) {
            try Metrics.trainingSetProximity(x, train: x.rows(0..<1))
        }
        #expect(throws: MetricsError.invalidParameter("precision/recall needs k ≥ 1, got 0")) {
            try Metrics.precisionRecall(x, x, k: 0)
        }
    }
}
