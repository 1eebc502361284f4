/// UniPC's choice of B(h) (Zhao et al. 2023, §3): `bh1` B(h) = h, `bh2` B(h) = e^h − 1.
public enum UniPCVariant: String, CaseIterable, Codable, Sendable {
    case bh1, bh2
}

/// Settings of `sampleUniPC`; the defaults are diffusers' `UniPCMultistepScheduler` ones.
public struct UniPCOptions: Codable, Equatable, Sendable {
    /// Predictor order p (1…3); the corrector after a step of order p has order p + 1.
    public var order: Int
    public var variant: UniPCVariant
    /// Apply UniC after every predictor step (false = UniP alone).
    public var corrector: Bool
    /// Use order min(p, steps left) on the last steps (diffusers' `lower_order_final`).
    public var lowerOrderFinal: Bool

    public init(order: Int = 2, variant: UniPCVariant = .bh2, corrector: Bool = true, lowerOrderFinal: Bool = true) {
        self.order = order
        self.variant = variant
        self.corrector = corrector
        self.lowerOrderFinal = lowerOrderFinal
    }

    public static var `default`: UniPCOptions { UniPCOptions() }
}

/// UniPC-p: UniP-p multistep predictor with the UniC corrector, data prediction in VE variables
/// (Zhao et al. 2023, §3, with α = 1, λ = −log σ).
///
/// The model is evaluated at the *predicted* state; the corrector reuses that evaluation, so UniPC
/// costs one NFE per step. The first steps warm up with the available history (order ≤ i + 1) and
/// the step to σ = 0 returns D (first order), as in diffusers.
public func sampleUniPC<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar], options: UniPCOptions = .default
) throws -> Matrix<D.Scalar> {
    typealias Scalar = D.Scalar
    try ExponentialIntegrator.validate(sigmas)
    guard (1...3).contains(options.order) else {
        throw SamplingError.invalidOption("UniPC order must be 1, 2 or 3, got \(options.order)")
    }
    let n = sigmas.count - 1
    let lambda = sigmas.map { ExponentialIntegrator.lambda($0) }
    var x = x
    var history: [(step: Int, denoised: Matrix<Scalar>)] = []
    var previous: (x: Matrix<Scalar>, order: Int)?
    for i in 0..<n {
        let denoised = try model(x, sigmas[i])
        if options.corrector, let previous {
            // UniC: redo the step σ_{i−1} → σ_i with D_i as one more node (r = 1).
            var nodes = uniPCNodes(history, order: previous.order, lambda: lambda, target: i)
            nodes.append((1, denoised - history[history.count - 1].denoised))
            x = uniPCUpdate(previous.x, from: i - 1, to: i, base: history[history.count - 1].denoised,
                            nodes: nodes, sigmas: sigmas, lambda: lambda, variant: options.variant)
        }
        model.observe(step: i, sigma: sigmas[i], sigmaHat: sigmas[i], x: x, denoised: denoised)
        history.append((i, denoised))
        if history.count > options.order { history.removeFirst() }
        if sigmas[i + 1] == 0 { return denoised }
        var order = min(options.order, history.count)
        if options.lowerOrderFinal { order = min(order, n - i) }
        previous = (x, order)
        // UniP-p: σ_i → σ_{i+1} from D_i and p − 1 earlier evaluations.
        x = uniPCUpdate(x, from: i, to: i + 1, base: denoised,
                        nodes: uniPCNodes(history, order: order, lambda: lambda, target: i + 1),
                        sigmas: sigmas, lambda: lambda, variant: options.variant)
    }
    return x
}

/// The p − 1 earlier nodes of a step from the last history entry (index j₀) to `target`:
/// r_k = (λ_{j_k} − λ_{j₀})/h and the scaled differences (D_{j_k} − D_{j₀})/r_k.
private func uniPCNodes<Scalar: MatrixScalar>(
    _ history: [(step: Int, denoised: Matrix<Scalar>)], order: Int, lambda: [Scalar], target: Int
) -> [(r: Scalar, difference: Matrix<Scalar>)] {
    let last = history[history.count - 1]
    let h = lambda[target] - lambda[last.step]
    return (1..<max(order, 1)).map { k in
        let earlier = history[history.count - 1 - k]
        let r = (lambda[earlier.step] - lambda[last.step]) / h
        return (r, (earlier.denoised - last.denoised) / r)
    }
}

/// One UniPC update from σ_s to σ_t (Zhao et al. 2023, §3, data prediction, α = 1):
/// x_t = (σ_t/σ_s) x_s − (e^{−h} − 1) D_s − B(−h) Σ_k a_k ΔD_k, where a solves the Vandermonde
/// system R a = g/B(−h) with R_{jk} = r_k^{j−1} and g_j = (−h) j! φ_{j+1}(−h).
private func uniPCUpdate<Scalar: MatrixScalar>(
    _ x: Matrix<Scalar>, from s: Int, to t: Int, base: Matrix<Scalar>,
    nodes: [(r: Scalar, difference: Matrix<Scalar>)], sigmas: [Scalar], lambda: [Scalar], variant: UniPCVariant
) -> Matrix<Scalar> {
    let hh = -(lambda[t] - lambda[s])
    var out = x.linearCombination(sigmas[t] / sigmas[s], -Scalar.expMinusOne(hh), base)
    guard !nodes.isEmpty else { return out }
    let b = variant == .bh1 ? hh : Scalar.expMinusOne(hh)
    for (a, node) in zip(uniPCCoefficients(nodes.map(\.r), hh: hh, b: b), nodes) {
        out.axpy(-b * a, node.difference)
    }
    return out
}

/// UniPC's a_k. With one node the official code and diffusers use 1/2, the h → 0 limit of the
/// solution (the oracles do the same); otherwise the Vandermonde system is solved.
private func uniPCCoefficients<Scalar: MatrixScalar>(_ r: [Scalar], hh: Scalar, b: Scalar) -> [Scalar] {
    if r.count == 1 { return [1 / 2] }
    let m = r.count
    let g = (1...m).map { j in hh * Scalar(ExponentialIntegrator.factorial(j)) * ExponentialIntegrator.phi(j + 1, hh) / b }
    let vandermonde = (0..<m).map { j in r.map { Scalar.pow($0, j) } }
    return ExponentialIntegrator.solve(vandermonde, g)
}
