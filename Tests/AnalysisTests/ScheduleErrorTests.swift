import Foundation
import Testing
@testable import ScoreKitAnalysis

@Suite("Schedules, error and GITS")
struct ScheduleErrorTests {
    @Test("Euler's error against rk45 falls as 1/N on Gaussian data")
    func eulerFirstOrder() throws {
        let (gaussian, _) = try rotatedGaussian([4, 1, 0.25], mean: [0.5, 0, -0.5], seed: 31)
        let starts = CounterNormalRNG(seed: 32).normals(rows: 8, columns: 3, draw: 0, as: Double.self)
        let schedule = LabelledSchedule("exponential", .exponential(sigmaMin: 0.02, sigmaMax: 10))
        let study = try ScheduleErrorStudy(denoiser: gaussian, sampler: .kdiffusion(.euler), schedules: [schedule],
                                           steps: [32, 64, 128, 256], deltas: [0], starts: starts)
        let error = study.curves[0].error
        for (coarse, fine) in zip(error, error.dropFirst()) { #expect(abs(coarse / fine - 2) < 0.15) }
    }

    @Test("the reference is the exact Gaussian flow: a converged sampler's error is tiny")
    func referenceIsExact() throws {
        let (gaussian, _) = try rotatedGaussian([4, 1, 0.25], mean: [0.5, 0, -0.5], seed: 31)
        let starts = CounterNormalRNG(seed: 33).normals(rows: 4, columns: 3, draw: 0, as: Double.self)
        let schedule = LabelledSchedule("karras", .karras(sigmaMin: 0.02, sigmaMax: 10, rho: 7))
        let study = try ScheduleErrorStudy(denoiser: gaussian, sampler: .reference(.rk4), schedules: [schedule],
                                           steps: [400], deltas: [0], starts: starts)
        // Closed form (GaussianDenoiser.flow, papers.md §0.4(a)) then D at σ_min.
        let exact = try gaussian.denoise(try gaussian.flow(starts * 10, from: 10, to: 0.02), sigma: 0.02)
        let sigmas = try Schedule<Double>.karras(steps: 400, sigmaMin: 0.02, sigmaMax: 10).sigmas
        var noise = NoNoise<Double>()
        let rk4 = try SamplerName.reference(.rk4).sample(SamplingModel(gaussian), from: starts * 10, sigmas: sigmas,
                                                         noise: &noise)
        #expect((rk4 - exact).maxAbs() < 1e-8)
        #expect(study.curves[0].error[0] < 1e-8)
    }

    @Test("a constant injected error adds its own term: the error no longer vanishes with N")
    func injectedErrorFloor() throws {
        let (gaussian, _) = try rotatedGaussian([4, 1, 0.25], mean: [0.5, 0, -0.5], seed: 31)
        let starts = CounterNormalRNG(seed: 34).normals(rows: 8, columns: 3, draw: 0, as: Double.self)
        let study = try ScheduleErrorStudy(
            denoiser: gaussian, sampler: .kdiffusion(.heun),
            schedules: [LabelledSchedule("karras", .karras(sigmaMin: 0.02, sigmaMax: 10, rho: 7))],
            steps: [64, 256], deltas: [0, 0.1], starts: starts)
        let clean = study.curves[0].error, perturbed = study.curves[1].error
        #expect(clean[1] < clean[0] / 8)
        #expect(perturbed[1] > perturbed[0] / 2)
        #expect(perturbed[1] > 10 * clean[1])
    }

    @Test("crossovers are found where two error curves change order")
    func crossovers() {
        let a = ScheduleErrorCurve(schedule: "a", delta: 0, steps: [10, 20, 40], error: [1, 0.5, 0.2])
        let b = ScheduleErrorCurve(schedule: "b", delta: 0, steps: [10, 20, 40], error: [0.5, 0.5 * 2 / 3, 0.4])
        let other = ScheduleErrorCurve(schedule: "c", delta: 1, steps: [10, 20, 40], error: [9, 9, 9])
        let found = ScheduleErrorStudy.crossovers([a, b, other])
        #expect(found.count == 1)
        // log(a/b) goes from log 1.5 to log 0.5 between N = 20 and 40.
        let t = log(1.5) / (log(1.5) - log(0.5))
        #expect(abs(found[0].steps - exp(log(20) + t * log(2))) < 1e-9)
        #expect(found[0].betterAbove == "a" && found[0].first == "a" && found[0].second == "b")
    }

    @Test("GITS recovers uniform steps when the cost is the squared step in a variable")
    func gitsUniform() throws {
        // Teacher points uniform in u (e.g. log σ on a geometric grid); Σ (Δu)² with coefficient 1 is
        // minimised by equal steps in u, i.e. every (12/K)-th teacher point.
        let u = (0..<13).map { Double($0) * 0.7 }
        let cost = u.indices.map { i in u.indices.map { j in (u[j] - u[i]) * (u[j] - u[i]) } }
        for k in [1, 2, 3, 4, 6, 12] {
            let (indices, value) = try GITS.search(cost: cost, steps: k, coefficient: 1)
            #expect(indices == stride(from: 0, through: 12, by: 12 / k).map { $0 })
            #expect(abs(value - Double(k) * pow(0.7 * Double(12 / k), 2)) < 1e-12)
        }
    }

    @Test("GITS's DP equals brute force over all step subsets", arguments: [1.0, 1.15, 2.0])
    func gitsBruteForce(coefficient: Double) throws {
        let m = 8
        let random = CounterNormalRNG(seed: 41).uniforms(rows: m, columns: m, draw: 0, as: Double.self)
        let cost = (0..<m).map { i in (0..<m).map { j in random[i, j] } }
        for k in 1...(m - 1) {
            var best = Double.infinity
            for mask in 0..<(1 << (m - 2)) where mask.nonzeroBitCount == k - 1 {
                let path = [0] + (1..<(m - 1)).filter { mask & (1 << ($0 - 1)) != 0 } + [m - 1]
                let total = (0..<k).reduce(0.0) { $0 + pow(coefficient, Double($1)) * cost[path[$1]][path[$1 + 1]] }
                best = min(best, total)
            }
            let (indices, value) = try GITS.search(cost: cost, steps: k, coefficient: coefficient)
            let recomputed = (0..<k).reduce(0.0) { $0 + pow(coefficient, Double($1)) * cost[indices[$1]][indices[$1 + 1]] }
            #expect(abs(value - best) < 1e-12)
            #expect(abs(recomputed - best) < 1e-12)
        }
    }

    @Test("the GITS cost is the error of one Euler step from the teacher state")
    func gitsCostIsEulerStep() throws {
        let data = CounterNormalRNG(seed: 42).normals(rows: 30, columns: 3, draw: 0, as: Double.self)
        let denoiser = try EmpiricalDenoiser(data: data)
        let grid = try Schedule<Double>.karras(steps: 9, sigmaMin: 0.05, sigmaMax: 10).sigmas
        let start = CounterNormalRNG(seed: 43).normals(rows: 5, columns: 3, draw: 0, as: Double.self) * 10
        var noise = NoNoise<Double>()
        let teacher = try SamplerName.kdiffusion(.heun).record(denoiser, from: start, sigmas: grid, noise: &noise)
        let (sigmas, cost) = try GITS.costMatrix(teacher)
        #expect(sigmas == Array(grid.dropLast()))
        for (i, j) in [(0, 1), (0, 8), (3, 5), (7, 8)] {
            let step = try SamplerName.kdiffusion(.euler).sample(SamplingModel(denoiser), from: teacher.x[i],
                                                                 sigmas: [grid[i], grid[j]], noise: &noise)
            let expected = (step - teacher.x[j]).rowSquaredNorms().map { $0.squareRoot() }.reduce(0, +) / 5
            #expect(abs(cost[i][j] - expected) < 1e-12)
        }
        let schedule = try GITSSchedule(teacher: teacher, steps: 4)
        #expect(schedule.sigmas.count == 6 && schedule.sigmas.last == 0 && schedule.sigmas.first == grid[0])
        #expect(schedule.indices.count == 5)
    }
}
