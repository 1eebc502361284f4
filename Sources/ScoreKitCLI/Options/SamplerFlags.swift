import ArgumentParser
import ScoreKit

extension SDESolverType: ExpressibleByArgument {}
extension UniPCVariant: ExpressibleByArgument {}

/// Where a stochastic sampler's draws come from (`--noise`).
enum NoiseKind: String, ExpressibleByArgument, CaseIterable {
    /// k-diffusion's choice: a Brownian tree for its SDE solvers, fresh per-sample draws otherwise.
    case auto
    /// A fresh counter-based standard normal per draw and sample.
    case perSample = "per-sample"
    /// Brownian-tree increments, consistent across step sizes.
    case brownian
}

/// The sampler and its knobs (DESIGN.md command line; names and defaults are k-diffusion's).
struct SamplerFlags: ParsableArguments {
    /// The exact flow of a Gaussian fitted to the data (not a `SamplerName`: it needs no denoiser).
    static let gaussianClosedForm = "gaussian_closed"
    static var knownNames: String { (SamplerName.allCases.map(\.rawValue) + [gaussianClosedForm]).joined(separator: ", ") }

    @Option(help: "Sampler name: \(SamplerFlags.knownNames).")
    var sampler: String

    @Option(help: "Solver order (unipc, ipndm, deis, dpm_adaptive, dpmpp_3m).")
    var order: Int?

    @Option(name: .customLong("unipc-variant"), help: "UniPC B(h): bh1 or bh2.")
    var unipcVariant: UniPCVariant = .bh2

    @Flag(name: .customLong("lower-order-final"), inversion: .prefixedNo,
          help: "UniPC / DPM-Solver++(3M): lower the order on the final steps (diffusers' default).")
    var lowerOrderFinal = true

    @Flag(name: .customLong("no-corrector"), help: "UniPC: predictor only (UniP).")
    var noCorrector = false

    @Option(help: "Ancestral / SDE noise scale η (k-diffusion's default per sampler when omitted).")
    var eta: Double?

    @Option(name: .customLong("s-churn"), help: "Karras churn S_churn (euler, heun, dpm_2).")
    var sChurn: Double = 0

    @Option(name: .customLong("s-tmin"), help: "Churn only for σ ≥ S_tmin.")
    var sTmin: Double = 0

    @Option(name: .customLong("s-tmax"), help: "Churn only for σ ≤ S_tmax.")
    var sTmax: Double = .infinity

    @Option(name: .customLong("s-noise"), help: "Scale of the added noise S_noise.")
    var sNoise: Double = 1

    @Option(name: .customLong("solver-type"), help: "dpmpp_2m_sde correction: midpoint or heun.")
    var solverType: SDESolverType = .midpoint

    @Option(name: .customLong("lms-order"), help: "LMS order (k-diffusion's default 4).")
    var lmsOrder: Int = 4

    @Option(help: "dpm_adaptive relative tolerance.")
    var rtol: Double = 0.05

    @Option(help: "dpm_adaptive absolute tolerance.")
    var atol: Double = 0.0078

    @Option(help: "Noise for stochastic samplers: auto, per-sample or brownian.")
    var noise: NoiseKind = .auto

    func validate() throws {
        guard SamplerName(rawValue: sampler) != nil || sampler == Self.gaussianClosedForm else {
            throw ValidationError("unknown sampler '\(sampler)' (known: \(Self.knownNames))")
        }
    }

    var name: SamplerName {
        get throws {
            guard let n = SamplerName(rawValue: sampler) else { throw CLIError("unknown sampler '\(sampler)'") }
            return n
        }
    }

    /// The options record every sampler family reads from.
    func options<S: MatrixScalar>(as: S.Type) -> SamplerOptions<S> {
        var k = KDiffusionOptions<S>()
        if let eta { k.eta = S(eta) }
        k.sNoise = S(sNoise)
        k.churn = Churn(sChurn: S(sChurn), sTmin: S(sTmin), sTmax: S(sTmax), sNoise: S(sNoise))
        k.solverType = solverType
        k.lmsOrder = lmsOrder
        var m = MultistepOptions(order: order, unipcVariant: unipcVariant, corrector: !noCorrector,
                                 lowerOrderFinal: lowerOrderFinal)
        m.adaptive.rtol = rtol
        m.adaptive.atol = atol
        if let order { m.adaptive.order = order }
        if let eta { m.adaptive.eta = eta }
        m.adaptive.sNoise = sNoise
        return SamplerOptions(kdiffusion: k, multistep: m)
    }
}
