import Foundation
import Testing
import ScoreKitNN

@Suite struct LearningRateScheduleTests {
    @Test func warmupRisesLinearlyToTheBase() throws {
        let s = try LearningRateSchedule(base: 0.4, warmupSteps: 4)
        #expect([0, 1, 2, 3, 4, 1000].map { s.rate(atStep: $0) } == [0.1, 0.2, 0.30000000000000004, 0.4, 0.4, 0.4])
    }

    @Test func cosineDecayHitsItsLandmarks() throws {
        let s = try LearningRateSchedule(base: 1, warmupSteps: 10, decay: .cosine(totalSteps: 110, minimum: 0.1))
        #expect(s.rate(atStep: 9) == 1)
        #expect(s.rate(atStep: 10) == 1)
        #expect(abs(s.rate(atStep: 60) - 0.55) < 1e-15)            // halfway: (base + min)/2
        #expect(abs(s.rate(atStep: 35) - (0.1 + 0.9 * (1 + Foundation.cos(Double.pi / 4)) / 2)) < 1e-15)
        #expect(abs(s.rate(atStep: 110) - 0.1) < 1e-15)
        #expect(abs(s.rate(atStep: 5000) - 0.1) < 1e-15)
    }

    @Test func stepDecayMultipliesEveryInterval() throws {
        let s = try LearningRateSchedule(base: 2, decay: .step(every: 100, factor: 0.5))
        #expect([0, 99, 100, 250, 300].map { s.rate(atStep: $0) } == [2, 2, 1, 0.5, 0.25])
    }

    @Test func decodingValidatesLikeTheInitialiser() throws {
        let s = try LearningRateSchedule(base: 0.1, warmupSteps: 5, decay: .step(every: 10, factor: 0.5))
        #expect(try JSONDecoder().decode(LearningRateSchedule.self, from: JSONEncoder().encode(s)) == s)
        let json = try #require(String(data: JSONEncoder().encode(s), encoding: .utf8))
        #expect(json.contains(#""every":10"#))
        let bad = Data(json.replacingOccurrences(of: #""every":10"#, with: #""every":0"#).utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LearningRateSchedule.self, from: bad) }
    }

    @Test func invalidSchedulesThrow() {
        #expect(throws: NNError.self) { try LearningRateSchedule(base: -1) }
        #expect(throws: NNError.self) { try LearningRateSchedule(base: 1, warmupSteps: 10, decay: .cosine(totalSteps: 10, minimum: 0)) }
        #expect(throws: NNError.self) { try LearningRateSchedule(base: 1, decay: .cosine(totalSteps: 10, minimum: 2)) }
        #expect(throws: NNError.self) { try LearningRateSchedule(base: 1, decay: .step(every: 0, factor: 0.5)) }
    }
}

@Suite struct ExponentialMovingAverageTests {
    typealias EMA = ExponentialMovingAverage<Double>

    @Test func halfLifeBetaHalvesTheWeightAfterTheHalfLife() {
        // EDM: β = 0.5^(batch / (halflife_kimg · 1000)); after halflife/batch steps the old weight is ½.
        let beta = EMA.halfLifeBeta(batchSize: 512, halfLifeKimg: 500, imagesSeen: 100_000_000)
        #expect(beta == Foundation.pow(0.5, 512.0 / 500_000))
        #expect(abs(Foundation.pow(beta, 500_000.0 / 512) - 0.5) < 1e-12)
    }

    @Test func rampUpShortensTheHalfLifeEarlyInTraining() {
        // h = min(500 000, n · 0.05).
        #expect(EMA.halfLifeBeta(batchSize: 100, halfLifeKimg: 500, imagesSeen: 0) == 0)
        #expect(EMA.halfLifeBeta(batchSize: 100, halfLifeKimg: 500, imagesSeen: 10_000) == Foundation.pow(0.5, 100.0 / 500))
        #expect(EMA.halfLifeBeta(batchSize: 100, halfLifeKimg: 500, imagesSeen: 0, rampUpRatio: nil)
                == Foundation.pow(0.5, 100.0 / 500_000))
    }

    @Test func updatesFollowTheGeometricClosedForm() throws {
        // With fixed parameters p, n updates give p + βⁿ (a₀ − p).
        let start = NamedTensors([NamedTensor(name: "w", value: Matrix<Double>(row: [1, -2]))])
        let p = NamedTensors([NamedTensor(name: "w", value: Matrix<Double>(row: [3, 4]))])
        var ema = EMA(start)
        for _ in 0..<5 { try ema.update(with: p, beta: 0.9) }
        let w = Foundation.pow(0.9 as Double, 5 as Double)
        #expect(maxRelativeError(ema.average["w"]!, Matrix(row: [3 + w * (1 - 3), 4 + w * (-2 - 4)])) < 1e-14)
        try ema.update(with: p, beta: 0)
        #expect(ema.average == p)
        #expect(throws: NNError.self) { try ema.update(with: p, beta: 1.5) }
        #expect(throws: NNError.self) {
            try ema.update(with: NamedTensors([NamedTensor(name: "v", value: Matrix(row: [0, 0]))]), beta: 0.5)
        }
    }
}
