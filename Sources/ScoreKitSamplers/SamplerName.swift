/// Every sampler ScoreKit runs, under its command-line name (`scorekit sample --sampler NAME`):
/// k-diffusion's names and semantics, the multistep solvers, and the reference ODE/SDE solvers.
public enum SamplerName: Hashable, Sendable, CustomStringConvertible {
    case kdiffusion(KDiffusionSampler)
    case multistep(MultistepSamplerName)
    case reference(ReferenceSamplerName)

    public init?(rawValue: String) {
        if let k = KDiffusionSampler(rawValue: rawValue) {
            self = .kdiffusion(k)
        } else if let m = MultistepSamplerName(rawValue: rawValue) {
            self = .multistep(m)
        } else if let r = ReferenceSamplerName(rawValue: rawValue) {
            self = .reference(r)
        } else {
            return nil
        }
    }

    public var rawValue: String {
        switch self {
        case .kdiffusion(let k): return k.rawValue
        case .multistep(let m): return m.rawValue
        case .reference(let r): return r.rawValue
        }
    }

    public var description: String { rawValue }

    public static var allCases: [SamplerName] {
        KDiffusionSampler.allCases.map(SamplerName.kdiffusion) + MultistepSamplerName.allCases.map(SamplerName.multistep)
            + ReferenceSamplerName.allCases.map(SamplerName.reference)
    }

    /// Whether k-diffusion gives this sampler a Brownian-tree noise sampler by default (its SDE
    /// solvers), so that the noise is consistent across step sizes.
    public var defaultsToBrownianTree: Bool {
        switch self {
        case .kdiffusion(.dpmppSDE), .kdiffusion(.dpmpp2MSDE), .kdiffusion(.dpmpp3MSDE): return true
        default: return false
        }
    }

    /// `dpm_fast` and `dpm_adaptive` stop at the smallest nonzero σ instead of denoising to 0.
    public var endsAtSmallestSigma: Bool {
        self == .multistep(.dpmFast) || self == .multistep(.dpmAdaptive)
    }
}

extension SamplerName: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = SamplerName(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown sampler '\(text)'"))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// The options of every sampler family; each sampler reads its own (a `Codable` record of a run).
public struct SamplerOptions<Scalar: MatrixScalar>: Codable, Sendable, Equatable {
    public var kdiffusion: KDiffusionOptions<Scalar>
    public var multistep: MultistepOptions
    public var reference: ReferenceSamplerOptions<Scalar>

    public init(kdiffusion: KDiffusionOptions<Scalar> = .init(), multistep: MultistepOptions = .init(),
                reference: ReferenceSamplerOptions<Scalar> = .init()) {
        self.kdiffusion = kdiffusion
        self.multistep = multistep
        self.reference = reference
    }
}

extension SamplerName {
    /// Runs the sampler from `x` (already scaled by σ₀) along `sigmas`.
    public func sample<D: Denoiser>(_ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    options: SamplerOptions<D.Scalar> = .init(),
                                    noise: inout some NoiseSource<D.Scalar>) throws -> Matrix<D.Scalar> {
        switch self {
        case .kdiffusion(let k):
            return try k.sample(model, from: x, sigmas: sigmas, options: options.kdiffusion, noise: &noise)
        case .multistep(let m):
            return try sampleMultistep(m, model, from: x, sigmas: sigmas, options: options.multistep, noise: &noise)
        case .reference(let r):
            return try r.sample(model, from: x, sigmas: sigmas, options: options.reference, noise: &noise)
        }
    }
}
