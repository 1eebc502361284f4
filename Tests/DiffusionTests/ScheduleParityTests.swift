import Foundation
import Testing
@testable import ScoreKitDiffusion

/// Schedules against the values k-diffusion and torch produced (fixtures), in Double.
@Suite struct ScheduleParityTests {
    /// Parameters as ref_sample.py / the fixture script name them.
    struct Parameters: Decodable {
        let sigma_min: Double?
        let sigma_max: Double?
        let rho: Double?
        let beta_d: Double?
        let beta_min: Double?
        let eps_s: Double?
        let ve_t_eps: Double?

        var scheduleParameters: ScheduleParameters {
            ScheduleParameters(sigmaMin: sigma_min, sigmaMax: sigma_max, rho: rho, betaD: beta_d,
                               betaMin: beta_min, epsS: eps_s, tEpsilon: ve_t_eps)
        }
    }

    struct OracleFile: Decodable {
        struct Case: Decodable {
            let source: String
            let kind: String
            let steps: Int
            let params: Parameters
            let sigmas: [Double]
        }
        let cases: [Case]
    }

    struct TorchFile: Decodable {
        struct Case: Decodable {
            let kind: String
            let steps: Int
            let params: Parameters
            let sigmas: EncodedValues
        }
        let cpu_capability: String
        let cases: [Case]
    }

    /// Largest relative difference allowed from torch, in units of 2⁻⁵² (about one ulp). torch
    /// takes exp and sqrt (and `** 0.5`) from MKL, which is not correctly rounded, so where they
    /// enter ScoreKit's libm values may differ by one ulp, magnified by what follows: a ramp
    /// `r^½` off by one ulp moves polyexponential's exponent by up to ln(σ_max/σ_min) ulps, and
    /// VP's `exp(·) − 1` cancels to relative error (1 + 1/σ²) ulps. Pure pow/linspace schedules
    /// (Karras, EDM, VE geometric) must agree bit for bit.
    static func tolerance(_ kind: ScheduleKind, sigma: Double) -> Double {
        switch kind {
        case .karras(_, _, let rho), .edm(_, _, let rho): return rho == 0.5 ? 1 : 0
        case .veGeometric, .explicit: return 0
        case .exponential, .logSNR, .ncsn: return 1
        case .polyexponential(let lo, let hi, let rho): return rho == 0.5 ? 2 + Double.log(hi / lo) : 1
        case .vp: return 2 + 1 / (sigma * sigma)
        }
    }

    /// Whether each element of `mine` is within `tolerance` of `expected`; the offending indices.
    static func outside(_ mine: [Double], _ expected: [Double], _ kind: ScheduleKind) -> [Int] {
        zip(mine, expected).enumerated().compactMap { i, pair in
            let (a, b) = pair
            guard b != 0 else { return a == 0 ? nil : i }
            let bound = tolerance(kind, sigma: b) * 0x1p-52 * Swift.abs(b)
            return Swift.abs(a - b) <= bound ? nil : i
        }
    }

    static func kernels(_ capability: String) -> TorchCPUKernels {
        capability.uppercased().hasPrefix("AVX512") ? .avx512 : .avx2
    }

    @Test func ringOracleSchedulesMatchKDiffusion() throws {
        let file = try Fixture.load("kdiffusion_oracle_sigmas", as: OracleFile.self)
        #expect(file.cases.count >= 8)
        for c in file.cases {
            let kind = try ScheduleKind(parsing: c.kind, parameters: c.params.scheduleParameters)
            let mine = try kind.schedule(steps: c.steps, as: Double.self).sigmas
            try #require(mine.count == c.sigmas.count, "\(c.source)")
            #expect(Self.outside(mine, c.sigmas, kind).isEmpty, "\(c.source)")
        }
    }

    @Test func karrasEndsWhereKDiffusionEnds() throws {
        let s = try Schedule<Double>.karras(steps: 25, sigmaMin: 0.002, sigmaMax: 80, rho: 7)
        #expect(s.sigmas.count == 26)
        #expect(s.sigmas[0] == 80)
        #expect(s.sigmas[24] == 0.002000000000000003)
        #expect(s.sigmas[25] == 0)
        #expect(s.smallestPositiveSigma == 0.002000000000000003)
    }

    @Test func torchSchedulesMatchBitForBit() throws {
        let file = try Fixture.load("torch_schedules", as: TorchFile.self)
        let kernels = Self.kernels(file.cpu_capability)
        var exactElements = 0, elements = 0
        for c in file.cases {
            let kind = try ScheduleKind(parsing: c.kind, parameters: c.params.scheduleParameters)
            let expected = try c.sigmas.exact()
            let mine = try kind.schedule(steps: c.steps, as: Double.self, kernels: kernels).sigmas
            try #require(mine.count == expected.count, "\(c.kind) n=\(c.steps)")
            let outside = Self.outside(mine, expected, kind)
            #expect(outside.isEmpty, "\(c.kind) n=\(c.steps) \(c.params): elements \(outside)")
            exactElements += zip(mine, expected).filter { $0 == $1 }.count
            elements += mine.count
        }
        #expect(file.cases.count > 500)
        // MKL and libm disagree on a few percent of exp/sqrt arguments, not more.
        #expect(Double(exactElements) / Double(elements) > 0.97)
    }

    @Test func theOtherCPUsKernelsDifferWhereTorchsDo() throws {
        // On AVX2 torch evaluates element 20 of a 30-step Karras schedule with SLEEF; the AVX-512
        // machine that made the oracle used libm there, and the two differ by one ulp.
        let avx2 = try Schedule<Double>.karras(steps: 30, sigmaMin: 0.002, sigmaMax: 80, kernels: .avx2)
        let avx512 = try Schedule<Double>.karras(steps: 30, sigmaMin: 0.002, sigmaMax: 80, kernels: .avx512)
        #expect(avx2.sigmas[20] == 0.3600475204057044)
        #expect(avx512.sigmas[20] == 0.36004752040570437)
    }

    struct MathFile: Decodable {
        struct Pow: Decodable { let x: [String], y: [String], z: [String] }
        let pow: Pow
    }

    @Test func sleefPowMatchesTorchsVectorisedPow() throws {
        let file = try Fixture.load("torch_math", as: MathFile.self)
        let x = try Fixture.doubles(file.pow.x), y = try Fixture.doubles(file.pow.y)
        let z = try Fixture.doubles(file.pow.z)
        #expect(x.count > 3000)
        var mismatches: [String] = []
        for i in x.indices {
            let mine = SleefPow.pow(x[i], y[i])
            let same = mine == z[i] || (mine.isNaN && z[i].isNaN)
            if !same { mismatches.append("pow(\(x[i]), \(y[i])) = \(mine), torch \(z[i])") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(5))")
    }

    @Test func sleefPowAgreesWithLibmToOneUlp() {
        // Written differently: the C library's pow (correctly rounded in practice).
        for base in stride(from: 0.013, through: 9.0, by: 0.0371) {
            for exponent in [7.0, 1 / 7.0, 2.5, -3.3, 0.61] {
                #expect(ulps(SleefPow.pow(base, exponent), Double.pow(base, exponent)) <= 1)
            }
        }
    }

    struct NCSNFile: Decodable {
        struct Case: Decodable {
            let sigma_begin: Double
            let sigma_end: Double
            let count: Int
            let sigmas: EncodedValues
        }
        let cases: [Case]
    }

    @Test func ncsnLevelsMatchNumpy() throws {
        let file = try Fixture.load("numpy_ncsn_levels", as: NCSNFile.self)
        for c in file.cases {
            let mine = try Schedule<Double>.ncsnLevels(count: c.count, sigmaBegin: c.sigma_begin, sigmaEnd: c.sigma_end)
            let expected = try c.sigmas.exact()
            #expect(mine.sigmas.count == c.count)
            #expect(!mine.endsAtZero || c.count == 0)
            let worst = zip(mine.sigmas, expected).map { ulps($0, $1) }.max() ?? 0
            #expect(worst <= 1, "NCSN \(c.sigma_begin)…\(c.sigma_end) × \(c.count): \(worst) ulps")
        }
    }
}
