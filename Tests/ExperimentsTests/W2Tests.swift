import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite("W2 Gaussian dominance")
struct W2Tests {
    /// A Gaussian reference explained by itself: EV = 1 in every form.
    @Test("the Gaussian explains a Gaussian reference exactly")
    func gaussianExplainsItself() throws {
        let data = try TrainedDigitsModel.split(TinyDigits.configuration()).train
        let gaussian = try GaussianDenoiser(fitting: data)
        let points = try NoisedData(data: data, count: 20, seed: 3)
        let curves = try DigitsExplainedVariance.curves(reference: gaussian, candidates: [NamedDenoiser("same", gaussian)],
                                                        points: points, sigmas: [0.1, 1, 10])
        for values in [curves[0].pooled, curves[0].perSample, curves[0].score] {
            #expect(values.allSatisfy { abs($0 - 1) < 1e-12 })
        }
    }

    /// St_EV against a brute-force score-space computation: s = (D − x)/σ² formed explicitly.
    @Test("score-space EV matches a direct computation with scores")
    func scoreSpaceEV() throws {
        let data = try TrainedDigitsModel.split(TinyDigits.configuration()).train
        let gaussian = try GaussianDenoiser(fitting: data)
        let isotropic = try GaussianDenoiser.isotropic(mean: gaussian.mean, variance: 0.3)
        let points = try NoisedData(data: data, count: 12, seed: 4)
        let sigma = 0.8
        let curve = try DigitsExplainedVariance.curves(reference: gaussian, candidates: [NamedDenoiser("iso", isotropic)],
                                                       points: points, sigmas: [sigma])[0]
        let x = points.at(sigma)
        let dRef = try gaussian.denoise(x, sigma: sigma), dIso = try isotropic.denoise(x, sigma: sigma)
        var total = 0.0
        for r in 0..<x.rows {
            var num = 0.0, den = 0.0
            for c in 0..<x.columns {
                let sRef = (dRef[r, c] - x[r, c]) / (sigma * sigma), sIso = (dIso[r, c] - x[r, c]) / (sigma * sigma)
                num += (sRef - sIso) * (sRef - sIso)
                den += sRef * sRef
            }
            total += 1 - num / den
        }
        #expect(abs(curve.score[0] - total / Double(x.rows)) < 1e-12)
        #expect(curve.score[0] < 1)
    }

    @Test("a small run is finite and its verdict follows its numbers")
    func smallRun() throws {
        let context = TinyDigits.context()
        defer { try? FileManager.default.removeItem(at: context.cacheFolder) }
        let r = try W2GaussianDominance(model: TinyDigits.configuration(), components: [1, 2], pointCount: 24, sampleCount: 10).run(context)
        #expect(r.id == "W2" && r.paper == .wangVastola && r.figures.count == 3)
        let n = r.numbers
        #expect(n[r.keyNumber] != nil)
        let sigmas = DigitsExplainedVariance.sigmas
        for name in ["gaussian", "gmm-1", "gmm-2", "delta_mixture"] {
            for s in sigmas { #expect(n["\(name).dt_ev_pooled_sigma_\(s)"]?.isFinite == true) }
        }
        // The criterion, recomputed from the numbers.
        let gaussian = sigmas.map { n["gaussian.dt_ev_pooled_sigma_\($0)"]! }
        let peak = gaussian.indices.max { gaussian[$0] < gaussian[$1] }!
        let i = sigmas.indices.filter { sigmas[$0] >= 2 }.allSatisfy { gaussian[$0] >= 0.95 } && sigmas[peak] >= 5
        let wins = W2GaussianDominance.smallSigmas.filter { s in n["gmm-2.dt_ev_pooled_sigma_\(s)"]! > n["delta_mixture.dt_ev_pooled_sigma_\(s)"]! }.count
        #expect(Double(wins) == n["gmm_wins_over_delta_at_small_sigma"])
        let iii = (n["sigma_0.99_gaussian"].flatMap { $0.isNaN ? nil : $0 } ?? .infinity) <= n["far_field_scale_R_sqrt_d"]! / 5
        let met = [i, wins >= 3, iii]
        #expect(r.verdict == (met.allSatisfy { $0 } ? .holds : (met.contains(true) ? .partlyHolds : .doesNotHold)))
        guard case .imageGrid(let grid) = r.figures[2] else { Issue.record("expected an image grid"); return }
        #expect(grid.images.count == 20 && grid.images.allSatisfy { $0.count == 64 })
    }
}
