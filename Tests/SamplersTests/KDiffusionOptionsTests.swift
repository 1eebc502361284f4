import Foundation
import Testing
import ScoreKitSamplers

/// Names, options and input checking of the k-diffusion samplers.
@Suite("k-diffusion names, options and errors")
struct KDiffusionOptionsTests {
    static let gaussian = KDiff.GaussianDenoiser<Double>(variance: 1, dimension: 2)
    static let x = Matrix<Double>(rowArrays: [[1, 2]])

    static func sample(_ sampler: KDiffusionSampler, sigmas: [Double],
                       options: KDiffusionOptions<Double> = .init()) throws -> Matrix<Double> {
        var noise = KDiff.ZeroNoise<Double>()
        return try sampler.sample(SamplingModel(gaussian), from: x, sigmas: sigmas, options: options, noise: &noise)
    }

    @Test("raw values are k-diffusion's sampler names")
    func names() {
        let kdiffusion = ["euler", "euler_ancestral", "heun", "dpm_2", "dpm_2_ancestral", "lms", "dpmpp_2s_ancestral",
                          "dpmpp_sde", "dpmpp_2m", "dpmpp_2m_sde", "dpmpp_3m_sde"]
        #expect(Set(KDiffusionSampler.allCases.map(\.rawValue)) == Set(kdiffusion))
        #expect(kdiffusion.allSatisfy { KDiffusionSampler(rawValue: $0) != nil })
        #expect(SDESolverType.allCases.map(\.rawValue) == ["midpoint", "heun"])
    }

    @Test("defaults are k-diffusion's")
    func defaults() {
        let o = KDiffusionOptions<Double>()
        #expect(o.eta == 1 && o.sNoise == 1 && o.lmsOrder == 4 && o.r == 0.5 && o.solverType == .midpoint)
        #expect(o.churn == Churn(sChurn: 0, sTmin: 0, sTmax: .infinity, sNoise: 1))
        #expect(!o.churn.isActive)
    }

    @Test("options round-trip through JSON, with s_tmax = ∞ left out; missing churn keys take the defaults")
    func codable() throws {
        let options = KDiffusionOptions<Double>(eta: 0.5, sNoise: 1.003, churn: Churn(sChurn: 40, sTmin: 0.05, sNoise: 1.007),
                                                solverType: .heun, lmsOrder: 3, r: 0.25)
        let data = try JSONEncoder().encode(options)
        #expect(!String(decoding: data, as: UTF8.self).contains("sTmax"))
        #expect(try JSONDecoder().decode(KDiffusionOptions<Double>.self, from: data) == options)
        let churn = try JSONDecoder().decode(Churn<Float>.self, from: Data(#"{"sChurn": 10, "sTmax": 50}"#.utf8))
        #expect(churn == Churn(sChurn: 10, sTmin: 0, sTmax: 50, sNoise: 1))
        #expect(try JSONDecoder().decode(Churn<Double>.self, from: Data("{}".utf8)) == .none)
    }

    @Test("bad schedules are rejected with a typed error", arguments: [
        [1.0], [], [1, 2, 0], [2, 1, 1, 0], [1, 0, 0], [1, -1], [.nan, 0], [.infinity, 1, 0], [3, 2, 0, -1],
    ])
    func badSchedules(sigmas: [Double]) {
        for sampler in KDiffusionSampler.allCases {
            #expect(throws: SamplingError.self, "\(sampler)") { try Self.sample(sampler, sigmas: sigmas) }
        }
    }

    @Test("a schedule may stop at σ > 0 (no final denoising)")
    func nonzeroEnd() throws {
        for sampler in KDiffusionSampler.allCases {
            #expect(try Self.sample(sampler, sigmas: [10, 3, 1, 0.5]).isFinite, "\(sampler)")
        }
    }

    @Test("bad options are rejected with a typed error")
    func badOptions() {
        let sigmas = KDiff.karrasSigmas(steps: 4)
        let bad: [(KDiffusionSampler, KDiffusionOptions<Double>)] = [
            (.lms, .init(lmsOrder: 0)),
            (.eulerAncestral, .init(eta: -1)),
            (.dpmpp2MSDE, .init(eta: .nan)),
            (.dpmpp3MSDE, .init(sNoise: -0.5)),
            (.dpmppSDE, .init(r: 0)),
            (.dpmppSDE, .init(r: 1.5)),
            (.euler, .init(churn: Churn(sChurn: 10, sTmin: 2, sTmax: 1))),
            (.heun, .init(churn: Churn(sChurn: .infinity))),
            (.dpm2, .init(churn: Churn(sChurn: 1, sNoise: -1))),
        ]
        for (sampler, options) in bad {
            #expect(throws: SamplingError.self, "\(sampler) \(options)") {
                try Self.sample(sampler, sigmas: sigmas, options: options)
            }
        }
        // Every message is one readable line.
        #expect(SamplingError.invalidOption("x").description.contains("invalid sampler option"))
    }

    @Test("a stochastic sampler without enough draws fails cleanly")
    func noiseErrors() throws {
        let sigmas = KDiff.karrasSigmas(steps: 5)
        var tooFew = try ReplayNoiseSource<Double>(values: [0, 0, 0, 0], count: 2, rows: 1, columns: 2)
        #expect(throws: SamplingError.noiseExhausted(available: 2)) {
            try KDiffusionSampler.eulerAncestral.sample(SamplingModel(Self.gaussian), from: Self.x, sigmas: sigmas, noise: &tooFew)
        }
        var none = NoNoise<Double>()
        #expect(throws: SamplingError.self) {
            try sampleDPMppSDE(SamplingModel(Self.gaussian), from: Self.x, sigmas: sigmas, noise: &none)
        }
        // The ODE samplers never ask.
        for sampler in [KDiffusionSampler.euler, .heun, .dpm2, .lms, .dpmpp2M] {
            #expect(try sampler.sample(SamplingModel(Self.gaussian), from: Self.x, sigmas: sigmas, noise: &none).isFinite)
        }
    }
}
