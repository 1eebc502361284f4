import Testing
@testable import ScoreKitAnalysis

@Suite("Mean shift and score deviation (Chen et al.)")
struct MeanShiftTests {
    let data = CounterNormalRNG(seed: 5).normals(rows: 20, columns: 2, draw: 0, as: Double.self) * 2

    func run(_ sampler: KDiffusionSampler, denoiser: some Denoiser<Double>) throws -> TrajectoryRecord<Double> {
        let sigmas = try Schedule<Double>.karras(steps: 12, sigmaMin: 0.01, sigmaMax: 10).sigmas
        let start = CounterNormalRNG(seed: 6).normals(rows: 16, columns: 2, draw: 0, as: Double.self) * 10
        var noise = NoNoise<Double>()
        return try SamplerName.kdiffusion(sampler).record(denoiser, from: start, sigmas: sigmas, noise: &noise)
    }

    @Test("Euler with the empirical denoiser is annealed mean shift with a non-decreasing KDE")
    func eulerIsPartialMeanShift() throws {
        let record = try run(.euler, denoiser: try EmpiricalDenoiser(data: data))
        let check = try MeanShiftCheck(record, data: data)
        #expect(check.sigmas.count == 12)
        #expect(check.denoiserResidual.allSatisfy { $0 < 1e-10 })
        #expect(check.partialStepResidual.allSatisfy { $0 < 1e-10 })
        #expect(check.logDensityIncrease.allSatisfy { $0 >= -1e-12 })
    }

    @Test("Heun's steps are not partial mean-shift steps")
    func heunIsNot() throws {
        let record = try run(.heun, denoiser: try EmpiricalDenoiser(data: data))
        let check = try MeanShiftCheck(record, data: data)
        #expect(check.denoiserResidual.allSatisfy { $0 < 1e-10 })
        #expect(check.partialStepResidual.contains { $0 > 1e-3 })
    }

    @Test("an injected constant error of size δ shows as δ/√d at every σ", arguments: PerturbedDenoiser<EmpiricalDenoiser<Double>>.Kind.allCases)
    func scoreDeviationOfPerturbedModel(kind: PerturbedDenoiser<EmpiricalDenoiser<Double>>.Kind) throws {
        let exact = try EmpiricalDenoiser(data: data)
        let delta = 0.3
        let model = try PerturbedDenoiser(exact, delta: delta, kind: kind, seed: 9)
        let record = try run(.euler, denoiser: model)
        let deviation = try ScoreDeviation(record, exact: exact)
        #expect(deviation.sigmas.count == 12)
        for (sigma, value) in zip(deviation.sigmas, deviation.meanDeviation) {
            let size = kind == .constant ? delta : delta * sigma
            #expect(abs(value - size / 2.0.squareRoot()) < 1e-12 * max(1, size))
        }
        #expect(zip(deviation.meanDeviation, deviation.maxDeviation).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
