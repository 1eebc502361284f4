import Foundation
import Testing
@testable import ScoreKitDiffusion

/// Closed forms, edge cases, validation and the string/Codable interface of schedules.
@Suite struct ScheduleTests {
    @Test func karrasIsLinearInSigmaToTheOneOverRho() throws {
        // Written differently: σ_i^{1/ρ} must be an arithmetic progression from σ_max^{1/ρ} to σ_min^{1/ρ}.
        for rho in [7.0, 3.0, 1.5] {
            let s = try Schedule<Double>.karras(steps: 18, sigmaMin: 0.002, sigmaMax: 80, rho: rho)
            let roots = s.sigmas.dropLast().map { Double.pow($0, 1 / rho) }
            let step = (Double.pow(0.002, 1 / rho) - Double.pow(80, 1 / rho)) / 17
            for i in 0..<18 {
                #expect(Swift.abs(roots[i] - (Double.pow(80, 1 / rho) + Double(i) * step)) < 1e-13)
            }
        }
        // papers.md §0.2 reference values for N = 18, ρ = 7.
        let s = try Schedule<Double>.karras(steps: 18, sigmaMin: 0.002, sigmaMax: 80)
        for (i, v) in [(1, 57.59), (5, 12.91), (11, 0.585), (16, 0.0075)] {
            #expect(Swift.abs(s.sigmas[i] - v) / v < 5e-3)
        }
    }

    @Test func exponentialHasAConstantRatio() throws {
        let s = try Schedule<Double>.exponential(steps: 11, sigmaMin: 0.01, sigmaMax: 100)
        for i in 0..<10 { #expect(Swift.abs(s.sigmas[i] / s.sigmas[i + 1] - Double.pow(10, 0.4)) < 1e-12) }
        #expect(try Schedule<Double>.logSNRUniform(steps: 11, sigmaMin: 0.01, sigmaMax: 100) == s)
        // ρ = 1 is the same grid, computed in another order (so equal up to rounding).
        let poly = try Schedule<Double>.polyexponential(steps: 11, sigmaMin: 0.01, sigmaMax: 100, rho: 1)
        for (p, e) in zip(poly.sigmas, s.sigmas) { #expect(Swift.abs(p - e) <= 1e-14 * e) }
    }

    @Test func vpMatchesTheContinuousVPSDE() throws {
        let s = try Schedule<Double>.vp(steps: 5)
        // anchors.md §2.2: σ(1) ≈ 152.17, σ(10⁻³) ≈ 0.010486; in between σ(t) = √(e^{β_d t²/2 + β_min t} − 1).
        #expect(Swift.abs(s.sigmas[0] - 152.17) < 0.01)
        #expect(Swift.abs(s.sigmas[4] - 0.010486) < 1e-6)
        let t = 1 - 2 * (1 - 1e-3) / 4
        #expect(Swift.abs(s.sigmas[2] - Double.sqrt(Double.exp(19.9 * t * t / 2 + 0.1 * t) - 1)) < 1e-12)
    }

    @Test func veGeometricFollowsSongsFormula() throws {
        let s = try Schedule<Double>.veGeometric(steps: 4, sigmaMin: 0.01, sigmaMax: 50, tEpsilon: 0)
        for (i, t) in [1.0, 2 / 3.0, 1 / 3.0, 0].enumerated() {
            #expect(Swift.abs(s.sigmas[i] / (0.01 * Double.pow(5000, t)) - 1) < 1e-14)
        }
    }

    @Test func oneStepSchedules() throws {
        for kind in ScheduleName.allCases where kind != .explicit {
            let s: Schedule<Double> = try ScheduleKind(name: kind).schedule(steps: 1)
            #expect(s.sigmas.count == 2 && s.stepCount == 1 && s.endsAtZero, "\(kind)")
            #expect(s.sigmas[0] > 0)
        }
        // σ_min = σ_max is a valid one-step schedule.
        let flat = try Schedule<Double>.karras(steps: 1, sigmaMin: 1.5, sigmaMax: 1.5)
        #expect(Swift.abs(flat.sigmas[0] - 1.5) < 1e-15 && flat.sigmas[1] == 0)
    }

    @Test func repeatedSigmasAreRejected() throws {
        #expect(throws: ScheduleError.self) { try Schedule<Double>.karras(steps: 3, sigmaMin: 1.5, sigmaMax: 1.5) }
        #expect(throws: ScheduleError.self) { try Schedule<Double>.exponential(steps: 2, sigmaMin: 2, sigmaMax: 2) }
        // 1000 steps in a 10⁻⁶ range are distinct in Double but collapse in Float.
        let double = try Schedule<Double>.karras(steps: 1000, sigmaMin: 0.1, sigmaMax: 0.1000001)
        #expect(double.sigmas.count == 1001)
        do {
            _ = try Schedule<Float>.karras(steps: 1000, sigmaMin: 0.1, sigmaMax: 0.1000001)
            Issue.record("a Float schedule with repeated values was accepted")
        } catch {
            guard case .notStrictlyDescending = error else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test func withoutTheFinalZero() throws {
        let s = try Schedule<Float>.karras(steps: 10, sigmaMin: 0.002, sigmaMax: 80, appendZero: false)
        #expect(s.sigmas.count == 10 && !s.endsAtZero && s.stepCount == 9)
        #expect(s.smallestPositiveSigma == s.sigmas[9])
        #expect(s.appendingZero().sigmas == s.sigmas + [0])
        #expect(s.appendingZero().appendingZero() == s.appendingZero())
    }

    @Test func floatSchedulesAreTheDoubleOnesRounded() throws {
        let d = try Schedule<Double>.karras(steps: 25, sigmaMin: 0.002, sigmaMax: 80)
        let f = try Schedule<Float>.karras(steps: 25, sigmaMin: 0.002, sigmaMax: 80)
        #expect(f.sigmas == d.sigmas.map { Float($0) })
        #expect(try d.converted(to: Float.self) == f)
    }

    @Test func invalidArgumentsThrowTypedErrors() {
        func error(_ body: () throws(ScheduleError) -> Schedule<Double>) -> ScheduleError? {
            do { _ = try body(); return nil } catch { return error }
        }
        #expect(error { () throws(ScheduleError) in try .karras(steps: 0, sigmaMin: 0.002, sigmaMax: 80) } == .invalidStepCount(0))
        #expect(error { () throws(ScheduleError) in try .exponential(steps: -3, sigmaMin: 0.002, sigmaMax: 80) } == .invalidStepCount(-3))
        #expect(error { () throws(ScheduleError) in try .karras(steps: 5, sigmaMin: 80, sigmaMax: 0.002) } == .invalidRange(sigmaMin: 80, sigmaMax: 0.002))
        let bad: [(String, () throws(ScheduleError) -> Schedule<Double>)] = [
            ("sigma_min", { () throws(ScheduleError) in try .karras(steps: 5, sigmaMin: 0, sigmaMax: 80) }),
            ("sigma_min", { () throws(ScheduleError) in try .karras(steps: 5, sigmaMin: -1, sigmaMax: 80) }),
            ("sigma_min", { () throws(ScheduleError) in try .exponential(steps: 5, sigmaMin: .nan, sigmaMax: 80) }),
            ("sigma_max", { () throws(ScheduleError) in try .polyexponential(steps: 5, sigmaMin: 1, sigmaMax: .infinity) }),
            ("rho", { () throws(ScheduleError) in try .karras(steps: 5, sigmaMin: 0.002, sigmaMax: 80, rho: 0) }),
            ("rho", { () throws(ScheduleError) in try .edm(steps: 5, sigmaMin: 0.002, sigmaMax: 80, rho: .nan) }),
            ("beta_d", { () throws(ScheduleError) in try .vp(steps: 5, betaD: -1) }),
            ("eps_s", { () throws(ScheduleError) in try .vp(steps: 5, epsS: 0) }),
            ("t_epsilon", { () throws(ScheduleError) in try .veGeometric(steps: 5, sigmaMin: 0.01, sigmaMax: 50, tEpsilon: .nan) }),
        ]
        for (name, body) in bad {
            guard case .invalidParameter(let n, _, _)? = error(body) else { Issue.record("no error for \(name)"); continue }
            #expect(n == name)
        }
        // ε_s ≥ 1 makes t ascend: the schedule would increase.
        guard case .notStrictlyDescending? = error({ () throws(ScheduleError) in try .vp(steps: 5, epsS: 2) }) else {
            Issue.record("ascending VP schedule accepted"); return
        }
    }

    @Test func explicitListsAreValidated() throws {
        #expect(try Schedule<Double>(sigmas: [3, 2, 0.5, 0]).stepCount == 3)
        let cases: [([Double], ScheduleError)] = [
            ([], .empty),
            ([3, .nan, 0], .nonFinite(index: 1)),
            ([3, .infinity], .nonFinite(index: 1)),
            ([3, -1], .negative(index: 1)),
            ([0], .startsAtZero),
            ([3, 2, 2, 0], .notStrictlyDescending(index: 2, previous: 2, value: 2)),
            ([3, 0, 1], .notStrictlyDescending(index: 2, previous: 0, value: 1)),
            ([1, 0, 0], .notStrictlyDescending(index: 2, previous: 0, value: 0)),
        ]
        for (values, expected) in cases {
            #expect(throws: expected) { try Schedule<Double>(sigmas: values) }
        }
        // As a kind: a 0 is appended unless already there.
        let kind = ScheduleKind.explicit(sigmas: [5, 1, 0.1])
        #expect(try kind.schedule(steps: 0, as: Double.self).sigmas == [5, 1, 0.1, 0])
        #expect(try ScheduleKind.explicit(sigmas: [5, 1, 0]).schedule(steps: 0, as: Double.self).sigmas == [5, 1, 0])
        #expect(try kind.schedule(steps: 0, appendZero: false, as: Double.self).sigmas == [5, 1, 0.1])
    }

    @Test func namesParseFromTheCommandLine() throws {
        #expect(try ScheduleName(parsing: "ve_geometric") == .veGeometric)
        #expect(try ScheduleName(parsing: "VE-Geometric") == .veGeometric)
        #expect(try ScheduleName(parsing: "file") == .explicit)
        #expect(try ScheduleName(parsing: "Karras") == .karras)
        for name in ScheduleName.allCases { #expect(try ScheduleName(parsing: name.rawValue) == name) }
        #expect(throws: ScheduleError.unknownName("cosine")) { try ScheduleName(parsing: "cosine") }
        #expect(ScheduleError.unknownName("cosine").description.contains("karras"))
        #expect(throws: ScheduleError.missingParameter("a list of sigmas")) { try ScheduleKind(name: .explicit) }

        // Defaults of the reference codebases, and the parameters given.
        #expect(try ScheduleKind(parsing: "karras") == .karras(sigmaMin: 0.002, sigmaMax: 80, rho: 7))
        #expect(try ScheduleKind(parsing: "polyexponential") == .polyexponential(sigmaMin: 0.002, sigmaMax: 80, rho: 1))
        #expect(try ScheduleKind(parsing: "vp") == .vp(betaD: 19.9, betaMin: 0.1, epsS: 1e-3))
        let given = ScheduleParameters(sigmaMin: 0.01, sigmaMax: 50, tEpsilon: 1e-3)
        #expect(try ScheduleKind(parsing: "ve-geometric", parameters: given) == .veGeometric(sigmaMin: 0.01, sigmaMax: 50, tEpsilon: 1e-3))
        for name in ScheduleName.allCases where name != .explicit {
            #expect(try ScheduleKind(name: name).name == name)
        }
    }

    @Test func specificationsRoundTripThroughJSON() throws {
        let spec = ScheduleSpecification(kind: .karras(sigmaMin: 0.002, sigmaMax: 80, rho: 7), steps: 25)
        let decoded = try JSONDecoder().decode(ScheduleSpecification.self, from: JSONEncoder().encode(spec))
        #expect(decoded == spec)
        let s: Schedule<Double> = try decoded.schedule()
        #expect(s == (try Schedule<Double>.karras(steps: 25, sigmaMin: 0.002, sigmaMax: 80)))

        let json = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(Schedule<Double>.self, from: json) == s)
        // Decoding validates like the initialiser.
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Schedule<Double>.self, from: Data("[1, 2, 0]".utf8))
        }
    }

    @Test func errorsReadAsOneLine() {
        let errors: [ScheduleError] = [
            .invalidStepCount(0), .invalidRange(sigmaMin: 2, sigmaMax: 1), .empty, .nonFinite(index: 1),
            .negative(index: 2), .startsAtZero, .notStrictlyDescending(index: 1, previous: 1, value: 1),
            .invalidParameter(name: "rho", value: -1, requirement: "finite and positive"),
            .unknownName("x"), .missingParameter("y"),
        ]
        for e in errors { #expect(!e.description.isEmpty && !e.description.contains("\n")) }
    }
}
