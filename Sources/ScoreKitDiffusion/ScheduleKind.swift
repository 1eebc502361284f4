/// The names schedules go by on the command line (`--schedule NAME`).
public enum ScheduleName: String, CaseIterable, Codable, Sendable {
    case karras, exponential, polyexponential, vp
    case veGeometric = "ve-geometric"
    case edm
    case logSNR = "logsnr"
    case ncsn
    /// An explicit list of σ (on the command line: `file`, with `--sigmas-file`).
    case explicit

    /// Parses a name case-insensitively, with `_` for `-` (k-diffusion and ref_sample.py spell
    /// `ve_geometric`), and `file` for `explicit`.
    public init(parsing text: String) throws(ScheduleError) {
        let key = String(text.lowercased().map { $0 == "_" ? "-" : $0 })
        if key == "file" {
            self = .explicit
        } else if let name = ScheduleName(rawValue: key) {
            self = name
        } else {
            throw .unknownName(text)
        }
    }
}

/// The optional numbers a schedule can be configured with, as given on a command line; any
/// left `nil` take the defaults of the reference codebases (EDM's σ range 0.002…80, ρ = 7 for
/// Karras/EDM and 1 for polyexponential, k-diffusion's VP β_d = 19.9, β_min = 0.1, ε_s = 10⁻³,
/// score_sde's VE ε = 10⁻⁵).
public struct ScheduleParameters: Codable, Equatable, Sendable {
    public var sigmaMin: Double?
    public var sigmaMax: Double?
    public var rho: Double?
    public var betaD: Double?
    public var betaMin: Double?
    public var epsS: Double?
    public var tEpsilon: Double?
    /// The values of an explicit schedule.
    public var sigmas: [Double]?

    public init(sigmaMin: Double? = nil, sigmaMax: Double? = nil, rho: Double? = nil, betaD: Double? = nil,
                betaMin: Double? = nil, epsS: Double? = nil, tEpsilon: Double? = nil, sigmas: [Double]? = nil) {
        self.sigmaMin = sigmaMin
        self.sigmaMax = sigmaMax
        self.rho = rho
        self.betaD = betaD
        self.betaMin = betaMin
        self.epsS = epsS
        self.tEpsilon = tEpsilon
        self.sigmas = sigmas
    }
}

/// A schedule family with all its parameters: the `Codable` description of how a schedule was
/// (or will be) made. `ScheduleSpecification` adds the number of steps.
public enum ScheduleKind: Codable, Equatable, Sendable {
    case karras(sigmaMin: Double, sigmaMax: Double, rho: Double)
    case exponential(sigmaMin: Double, sigmaMax: Double)
    case polyexponential(sigmaMin: Double, sigmaMax: Double, rho: Double)
    case vp(betaD: Double, betaMin: Double, epsS: Double)
    case veGeometric(sigmaMin: Double, sigmaMax: Double, tEpsilon: Double)
    case edm(sigmaMin: Double, sigmaMax: Double, rho: Double)
    case logSNR(sigmaMin: Double, sigmaMax: Double)
    /// NCSN levels from σ_max (σ_1) down to σ_min (σ_L).
    case ncsn(sigmaMin: Double, sigmaMax: Double)
    case explicit(sigmas: [Double])

    /// The kind called `name`, with `parameters` (defaults for those not given).
    public init(name: ScheduleName, parameters p: ScheduleParameters = ScheduleParameters()) throws(ScheduleError) {
        let lo = p.sigmaMin ?? 0.002, hi = p.sigmaMax ?? 80
        switch name {
        case .karras: self = .karras(sigmaMin: lo, sigmaMax: hi, rho: p.rho ?? 7)
        case .exponential: self = .exponential(sigmaMin: lo, sigmaMax: hi)
        case .polyexponential: self = .polyexponential(sigmaMin: lo, sigmaMax: hi, rho: p.rho ?? 1)
        case .vp: self = .vp(betaD: p.betaD ?? 19.9, betaMin: p.betaMin ?? 0.1, epsS: p.epsS ?? 1e-3)
        case .veGeometric: self = .veGeometric(sigmaMin: lo, sigmaMax: hi, tEpsilon: p.tEpsilon ?? 1e-5)
        case .edm: self = .edm(sigmaMin: lo, sigmaMax: hi, rho: p.rho ?? 7)
        case .logSNR: self = .logSNR(sigmaMin: lo, sigmaMax: hi)
        case .ncsn: self = .ncsn(sigmaMin: lo, sigmaMax: hi)
        case .explicit:
            guard let sigmas = p.sigmas else { throw .missingParameter("a list of sigmas") }
            self = .explicit(sigmas: sigmas)
        }
    }

    /// Parses `name` (see `ScheduleName(parsing:)`) and applies `parameters`.
    public init(parsing name: String, parameters: ScheduleParameters = ScheduleParameters()) throws(ScheduleError) {
        try self.init(name: ScheduleName(parsing: name), parameters: parameters)
    }

    public var name: ScheduleName {
        switch self {
        case .karras: return .karras
        case .exponential: return .exponential
        case .polyexponential: return .polyexponential
        case .vp: return .vp
        case .veGeometric: return .veGeometric
        case .edm: return .edm
        case .logSNR: return .logSNR
        case .ncsn: return .ncsn
        case .explicit: return .explicit
        }
    }

    /// The schedule with `steps` positive σ (for `.explicit`, the list itself; `steps` is unused),
    /// followed by 0 when `appendZero` (an explicit list keeps a 0 it already ends with).
    public func schedule<Scalar: MatrixScalar>(
        steps: Int, appendZero: Bool = true, as: Scalar.Type = Scalar.self, kernels: TorchCPUKernels = .avx512
    ) throws(ScheduleError) -> Schedule<Scalar> {
        typealias S = Schedule<Scalar>
        switch self {
        case .karras(let lo, let hi, let rho):
            return try S.karras(steps: steps, sigmaMin: lo, sigmaMax: hi, rho: rho, appendZero: appendZero, kernels: kernels)
        case .exponential(let lo, let hi):
            return try S.exponential(steps: steps, sigmaMin: lo, sigmaMax: hi, appendZero: appendZero)
        case .polyexponential(let lo, let hi, let rho):
            return try S.polyexponential(steps: steps, sigmaMin: lo, sigmaMax: hi, rho: rho, appendZero: appendZero,
                                         kernels: kernels)
        case .vp(let betaD, let betaMin, let epsS):
            return try S.vp(steps: steps, betaD: betaD, betaMin: betaMin, epsS: epsS, appendZero: appendZero)
        case .veGeometric(let lo, let hi, let eps):
            return try S.veGeometric(steps: steps, sigmaMin: lo, sigmaMax: hi, tEpsilon: eps, appendZero: appendZero,
                                     kernels: kernels)
        case .edm(let lo, let hi, let rho):
            return try S.edm(steps: steps, sigmaMin: lo, sigmaMax: hi, rho: rho, appendZero: appendZero, kernels: kernels)
        case .logSNR(let lo, let hi):
            return try S.logSNRUniform(steps: steps, sigmaMin: lo, sigmaMax: hi, appendZero: appendZero)
        case .ncsn(let lo, let hi):
            return try S.ncsnLevels(count: steps, sigmaBegin: hi, sigmaEnd: lo, appendZero: appendZero)
        case .explicit(let sigmas):
            let endsAtZero = sigmas.last == 0
            return try S.rounding(sigmas, appendZero: appendZero && !endsAtZero)
        }
    }
}

/// Everything needed to rebuild a schedule: its kind, the number of steps and whether a final
/// 0 is appended. This is what a run records (and the CLI's `schedule` command builds).
public struct ScheduleSpecification: Codable, Equatable, Sendable {
    public var kind: ScheduleKind
    public var steps: Int
    public var appendZero: Bool

    public init(kind: ScheduleKind, steps: Int, appendZero: Bool = true) {
        self.kind = kind
        self.steps = steps
        self.appendZero = appendZero
    }

    public func schedule<Scalar: MatrixScalar>(
        as: Scalar.Type = Scalar.self, kernels: TorchCPUKernels = .avx512
    ) throws(ScheduleError) -> Schedule<Scalar> {
        try kind.schedule(steps: steps, appendZero: appendZero, kernels: kernels)
    }
}
