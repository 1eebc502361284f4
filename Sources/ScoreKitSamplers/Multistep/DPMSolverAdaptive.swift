/// Settings of `sampleDPMAdaptive`; the defaults are k-diffusion 0.1.1's.
public struct DPMAdaptiveOptions: Codable, Equatable, Sendable {
    /// 2: embedded pair DPM-Solver-(1,2); 3: DPM-Solver-(2,3).
    public var order: Int
    public var rtol: Double
    public var atol: Double
    /// First step size in t = −log σ.
    public var hInit: Double
    /// PID controller gains (Söderlind 2003); the defaults make it a pure I controller.
    public var pcoeff: Double
    public var icoeff: Double
    public var dcoeff: Double
    /// A step is accepted when the controller's factor is at least this.
    public var acceptSafety: Double
    public var eta: Double
    public var sNoise: Double

    public init(order: Int = 3, rtol: Double = 0.05, atol: Double = 0.0078, hInit: Double = 0.05,
                pcoeff: Double = 0, icoeff: Double = 1, dcoeff: Double = 0, acceptSafety: Double = 0.81,
                eta: Double = 0, sNoise: Double = 1) {
        self.order = order
        self.rtol = rtol
        self.atol = atol
        self.hInit = hInit
        self.pcoeff = pcoeff
        self.icoeff = icoeff
        self.dcoeff = dcoeff
        self.acceptSafety = acceptSafety
        self.eta = eta
        self.sNoise = sNoise
    }

    public static var `default`: DPMAdaptiveOptions { DPMAdaptiveOptions() }
}

/// What `sampleDPMAdaptive` did, as k-diffusion's `return_info` reports it (nfe = order × steps).
public struct DPMAdaptiveInfo: Codable, Equatable, Sendable {
    public var steps = 0
    public var nfe = 0
    public var accepted = 0
    public var rejected = 0
}

/// DPM-Solver-12 / DPM-Solver-23 with adaptive step size (Lu et al. 2022, "DPM-Solver",
/// §3.4), as k-diffusion 0.1.1's `sample_dpm_adaptive`.
///
/// Each attempt takes the embedded low/high order pair from s to t = min(t_end, s + h), measures
/// E = RMS((x_low − x_high)/max(atol, rtol·max(|x_low|, |x_prev|))) over the **whole batch** (so
/// rows are coupled: results depend on the batch), lets the PID controller rescale h and accepts
/// x_high when the controller's factor ≥ `acceptSafety`. Ends within 1e-5 of t_end = −log σ_min,
/// with no final denoising. The observer is called after every attempt, with the (possibly new)
/// state and σ = e^{−s}, as k-diffusion's callback is. With η > 0 every accepted step adds
/// σ_up-scaled noise (k-diffusion also draws, and discards, a sample when η = 0; this port does not).
public func sampleDPMAdaptive<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmaMin: D.Scalar, sigmaMax: D.Scalar,
    options: DPMAdaptiveOptions = .default, noise: inout some NoiseSource<D.Scalar>
) throws -> (x: Matrix<D.Scalar>, info: DPMAdaptiveInfo) {
    typealias Scalar = D.Scalar
    let eta = Scalar(options.eta)
    try ExponentialIntegrator.validateSigmaRange(sigmaMin: sigmaMin, sigmaMax: sigmaMax, eta: eta)
    guard options.order == 2 || options.order == 3 else {
        throw SamplingError.invalidOption("dpm_adaptive order must be 2 or 3, got \(options.order)")
    }
    guard options.rtol >= 0, options.atol > 0, options.hInit > 0, options.acceptSafety.isFinite else {
        throw SamplingError.invalidOption("dpm_adaptive needs rtol ≥ 0, atol > 0 and h_init > 0")
    }
    let sigma = DPMSolverStep<D>.sigma
    let tEnd = -Scalar.log(sigmaMin)
    let atol = Scalar(options.atol)
    let rtol = Scalar(options.rtol)
    var pid = PIDStepSizeController(
        h: options.hInit, pcoeff: options.pcoeff, icoeff: options.icoeff, dcoeff: options.dcoeff,
        order: eta != 0 ? 1.5 : Double(options.order), acceptSafety: options.acceptSafety)
    var info = DPMAdaptiveInfo()
    // No rows, no error to control: an empty batch (e.g. an empty shard) is already done.
    guard x.count > 0 else { return (x, info) }
    var s = -Scalar.log(sigmaMax)
    var x = x
    var xPrev = x
    while s < tEnd - Scalar(1e-5) {
        let t = min(tEnd, s + Scalar(pid.h))
        var target = t
        var sigmaUp: Scalar = 0
        if eta != 0 {
            let down = ancestralStep(from: sigma(s), to: sigma(t), eta: eta).down
            target = min(tEnd, -Scalar.log(down))
            sigmaUp = (sigma(t) * sigma(t) - sigma(target) * sigma(target)).squareRoot()
        }
        var step = DPMSolverStep(model: model, x: x, t: s, tNext: target)
        let denoised = x.linearCombination(1, -sigma(s), try step.epsilonAtStart())
        let (low, high) = options.order == 2
            ? (try step.first(), try step.second())
            : (try step.second(r1: 1 / 3), try step.third())
        let error = scaledRMS(low - high, low: low, previous: xPrev, atol: atol, rtol: rtol)
        guard error.isFinite else {
            throw SamplingError.invalidOption("dpm_adaptive error estimate is not finite (NaN or ∞ in the state)")
        }
        if pid.proposeStep(error: Double(error)) {
            xPrev = low
            x = high
            if eta != 0 {
                let z = try noise.next(rows: x.rows, columns: x.columns, sigma: sigma(s), sigmaNext: sigma(t))
                x.axpy(sigmaUp * Scalar(options.sNoise), z)
            }
            s = t
            info.accepted += 1
        } else {
            info.rejected += 1
        }
        info.nfe += options.order
        info.steps += 1
        model.observe(step: info.steps - 1, sigma: sigma(s), sigmaHat: sigma(s), x: x, denoised: denoised)
    }
    return (x, info)
}

/// ‖Δ / δ‖₂ / √(count) with δ = max(atol, rtol · max(|x_low|, |x_prev|)) element-wise.
private func scaledRMS<Scalar: MatrixScalar>(
    _ delta: Matrix<Scalar>, low: Matrix<Scalar>, previous: Matrix<Scalar>, atol: Scalar, rtol: Scalar
) -> Scalar {
    var sum: Scalar = 0
    for k in delta.scalars.indices {
        let tolerance = max(atol, rtol * max(abs(low.scalars[k]), abs(previous.scalars[k])))
        let e = delta.scalars[k] / tolerance
        sum += e * e
    }
    return (sum / Scalar(delta.count)).squareRoot()
}

/// k-diffusion's `PIDStepSizeController`: factor = limiter(ε₀^{b₁} ε₁^{b₂} ε₂^{b₃}) with εᵢ the
/// inverse errors of the current and last two accepted steps, b = ((p + i + d), −(p + 2d), d)/order
/// and limiter(f) = 1 + atan(f − 1). h is rescaled whether or not the step is accepted.
struct PIDStepSizeController {
    private(set) var h: Double
    private let b1, b2, b3: Double
    private let acceptSafety: Double
    private let eps = 1e-8
    private var inverseErrors: [Double] = []

    init(h: Double, pcoeff: Double, icoeff: Double, dcoeff: Double, order: Double, acceptSafety: Double) {
        self.h = h
        b1 = (pcoeff + icoeff + dcoeff) / order
        b2 = -(pcoeff + 2 * dcoeff) / order
        b3 = dcoeff / order
        self.acceptSafety = acceptSafety
    }

    mutating func proposeStep(error: Double) -> Bool {
        let inverse = 1 / (error + eps)
        if inverseErrors.isEmpty { inverseErrors = [inverse, inverse, inverse] }
        inverseErrors[0] = inverse
        let factor = 1 + Double.atan(
            Double.pow(inverseErrors[0], b1) * Double.pow(inverseErrors[1], b2) * Double.pow(inverseErrors[2], b3) - 1)
        let accept = factor >= acceptSafety
        if accept {
            inverseErrors[2] = inverseErrors[1]
            inverseErrors[1] = inverseErrors[0]
        }
        h *= factor
        return accept
    }
}
