import Foundation
import Testing
@testable import ScoreKitTraining

@Suite struct HoldoutSplitTests {
    @Test func partitionsTheRowsBySeed() throws {
        let split = try HoldoutSplit(rowCount: 101, fraction: 0.1, seed: 3)
        #expect(split.heldOut.count == 10 && split.training.count == 91)
        #expect(Set(split.heldOut).isDisjoint(with: split.training))
        #expect((split.heldOut + split.training).sorted() == Array(0..<101))
        #expect(split.training == split.training.sorted() && split.heldOut == split.heldOut.sorted())
        #expect(try HoldoutSplit(rowCount: 101, fraction: 0.1, seed: 3) == split)
        #expect(try HoldoutSplit(rowCount: 101, fraction: 0.1, seed: 4).heldOut != split.heldOut)
        // Not simply the last rows.
        #expect(split.heldOut != Array(91..<101))
        #expect(try HoldoutSplit(rowCount: 5, fraction: 0, seed: 3).heldOut.isEmpty)
        #expect(try HoldoutSplit(rowCount: 2, fraction: 0.9, seed: 3).training.count == 1)
        #expect(throws: TrainingError.self) { try HoldoutSplit(rowCount: 5, fraction: 1, seed: 3) }
        #expect(throws: TrainingError.self) { try HoldoutSplit(rowCount: 5, fraction: -0.1, seed: 3) }
    }
}

@Suite struct DenoisingEvaluationTests {
    @Test func levelsAreTheBucketCentres() throws {
        let levels = DenoisingEvaluation<Double>.levels(try SigmaBuckets(minimum: 1, maximum: 16, count: 4))
        let r = Double(2).squareRoot()
        let expected = [r, 2 * r, 4 * r, 8 * r]
        for (a, b) in zip(levels, expected) { #expect(abs(a - b) < 1e-12) }
    }

    /// Row by row, level by level, with the noise drawn again per row: the same numbers.
    @Test func equalsARowByRowComputation() throws {
        let data = gaussianData(rows: 5, mean: [0, 1, -1], std: 1)
        let config = try configuration(dimension: 3, steps: 0)
        let trainer = try Trainer(configuration: config, data: data)
        let model = trainer.model
        let buckets = try SigmaBuckets(minimum: 0.01, maximum: 50, count: 3)
        let weighting = LossWeighting.edm(sigmaData: 0.5)
        let evaluation = DenoisingEvaluation(data: data, buckets: buckets, weighting: weighting, noiseDistribution: .edm, seed: 11)
        let (loss, perBucket) = try evaluation.evaluate(model)

        let levels = DenoisingEvaluation<Double>.levels(buckets)
        var sums = [Double](repeating: 0, count: 3)
        for (k, sigma) in levels.enumerated() {
            for r in 0..<5 {
                let n = k * 5 + r
                let eps: Matrix<Double> = CounterNormalRNG(seed: 11).normals(rows: 1, columns: 3, firstSample: n, draw: 3)
                let x0 = data.rows(r..<(r + 1))
                let d = try model.denoise(x0 + sigma * eps, sigma: sigma)
                let e = (d - x0).scalars.reduce(0) { $0 + $1 * $1 } / 3
                sums[k] += weighting.weight(sigma: sigma) * e
            }
        }
        let p = evaluation.bucketWeights
        #expect(abs(loss - (0..<3).reduce(0.0) { $0 + p[$1] * sums[$1] / 5 }) <= 1e-12 * abs(loss))
        #expect(perBucket.counts == [5, 5, 5])
        for k in 0..<3 { #expect(abs((perBucket.meanLosses[k] ?? .nan) - sums[k] / 5) <= 1e-12 * sums[k]) }
        // Fixed noise: evaluating again gives the same value.
        #expect(try evaluation.evaluate(model).loss == loss)
    }
}

@Suite struct BucketWeightTests {
    /// The log-normal's mass per bucket from its CDF, Φ((ln e − P_mean)/P_std), ends included.
    @Test func logNormalMassesMatchTheCDF() throws {
        let buckets = try SigmaBuckets(minimum: 0.01, maximum: 10, count: 6)
        let p = DenoisingEvaluation<Double>.bucketWeights(.logNormal(mean: -1.2, standardDeviation: 1.2), buckets: buckets)
        let cdf = { (s: Double) in (1 + erf((log(s) + 1.2) / (1.2 * Double(2).squareRoot()))) / 2 }
        let e = buckets.edges
        let expected = (0..<6).map { k in (k == 5 ? 1 : cdf(e[k + 1])) - (k == 0 ? 0 : cdf(e[k])) }
        for k in 0..<6 { #expect(abs(p[k] - expected[k]) < 0.005, "bucket \(k): \(p[k]) vs \(expected[k])") }
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        // Discrete levels: all the mass in the buckets of the levels.
        let levels = DenoisingEvaluation<Double>.bucketWeights(.geometricLevels(minimum: 0.02, maximum: 5, count: 2), buckets: buckets)
        #expect(abs(levels[buckets.index(of: 0.02)] - 0.5) < 0.01 && abs(levels[buckets.index(of: 5)] - 0.5) < 0.01)
    }
}

@Suite struct LossCurveTests {
    @Test func csvRoundTripKeepsMissingValues() throws {
        var curve = LossCurve()
        curve.record(.init(step: 10, loss: 0.5))
        curve.record(.init(step: 20, loss: 0.25))
        curve.record(.init(step: 20, heldOutLoss: 0.3, trainEvalLoss: 0.28))  // merged into step 20
        curve.record(.init(step: 25, heldOutLoss: 0.31))
        #expect(curve.points.count == 3 && curve.points[1].loss == 0.25 && curve.points[1].heldOutLoss == 0.3)
        let url = temporaryURL("log.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try curve.write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == "step,loss,heldout_loss,train_eval_loss\n10.0,0.5,nan,nan\n20.0,0.25,0.3,0.28\n25.0,nan,0.31,nan\n"
                || text == "step,loss,heldout_loss,train_eval_loss\n10,0.5,nan,nan\n20,0.25,0.3,0.28\n25,nan,0.31,nan\n")
        #expect(try LossCurve.read(from: url) == curve)
        #expect(curve.truncated(throughStep: 20).points.map(\.step) == [10, 20])
    }

    @Test func aHandWrittenFileReadsAndABadOneIsRefused() throws {
        let url = temporaryURL("hand.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("step,loss,heldout_loss,train_eval_loss\n5,1.5,nan,nan\n".utf8).write(to: url)
        #expect(try LossCurve.read(from: url).points == [.init(step: 5, loss: 1.5)])
        try Data("step,loss\n5,1.5\n".utf8).write(to: url)
        #expect(throws: IOError.self) { try LossCurve.read(from: url) }
        try Data("step,loss,heldout_loss,train_eval_loss\n-1,1.5,nan,nan\n".utf8).write(to: url)
        #expect(throws: IOError.self) { try LossCurve.read(from: url) }
    }
}
