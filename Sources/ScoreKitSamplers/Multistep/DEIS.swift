/// DEIS with polynomial extrapolation in time, tAB-DEIS (Zhang & Chen 2023, "Fast Sampling of
/// Diffusion Models with Exponential Integrator", §4), in the EDM form of diff-solvers'
/// `deis_sampler(deis_mode="tab")`.
///
/// In VE variables dx/dσ = ε̂(x, σ) with ε̂ = (x − D)/σ. tAB-DEIS fits the Lagrange polynomial
/// through the last p values of ε̂ as a function of VP time t(σ) and integrates it exactly:
/// x_{i+1} = x_i + Σ_j C_{ij} ε̂_{i−j}, C_{ij} = ∫_{σ_i}^{σ_{i+1}} L_j(t(σ)) dσ. t(σ) is the time of EDM's
/// VP discretisation fitted to σ ∈ [0.002, 80] with ε_s = 1e-3, as diff-solvers' `edm2t` (for every
/// schedule). The coefficients come from 16-point Gauss–Legendre quadrature in σ, where diff-solvers
/// uses a 10⁴-point Riemann sum in t. Warm-up orders min(p, i + 1) (order 1 is Euler); the step to
/// σ = 0 returns D. One NFE per step.
public func sampleDEIS<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar], order: Int = 3
) throws -> Matrix<D.Scalar> {
    let sigmas64 = sigmas.map { Double($0) }
    let times = sigmas64.map(DEISTime.vpTime)
    return try slopeMultistep(model, from: x, sigmas: sigmas, order: order, name: "DEIS") { i, p in
        let nodes = Array(times[(i + 1 - p)...i].reversed())  // t_i, t_{i−1}, …
        return DEISTime.coefficients(nodes: nodes, from: sigmas64[i], to: sigmas64[i + 1]).map { D.Scalar($0) }
    }
}

/// EDM's VP time and the tAB-DEIS integrals, in Double whatever the sampler's precision.
enum DEISTime {
    /// EDM's VP fit (Karras et al. 2022, Table 1): β_d and β_min such that σ(ε_s) = 0.002, σ(1) = 80.
    static let epsilonS = 1e-3
    static let betaD = 2 * (Double.log(onePlus: 0.002 * 0.002) / epsilonS - Double.log(onePlus: 80 * 80)) / (epsilonS - 1)
    static let betaMin = Double.log(onePlus: 80 * 80) - betaD / 2

    /// t(σ) = (√(β_min² + 2 β_d log(1 + σ²)) − β_min)/β_d, the inverse of σ(t) = √(e^{β_d t²/2 + β_min t} − 1).
    static func vpTime(_ sigma: Double) -> Double {
        ((betaMin * betaMin + 2 * betaD * Double.log(onePlus: sigma * sigma)).squareRoot() - betaMin) / betaD
    }

    /// C_j = ∫_{σ_from}^{σ_to} L_j(t(σ)) dσ for the Lagrange basis L_j through `nodes` (t values).
    /// With one node this is σ_to − σ_from (Euler).
    static func coefficients(nodes: [Double], from sigmaFrom: Double, to sigmaTo: Double) -> [Double] {
        let half = (sigmaTo - sigmaFrom) / 2, mid = (sigmaTo + sigmaFrom) / 2
        var c = [Double](repeating: 0, count: nodes.count)
        for (u, w) in zip(gaussLegendre.nodes, gaussLegendre.weights) {
            let t = vpTime(mid + half * u)
            for j in nodes.indices {
                var basis = 1.0
                for k in nodes.indices where k != j { basis *= (t - nodes[k]) / (nodes[j] - nodes[k]) }
                c[j] += half * w * basis
            }
        }
        return c
    }

    /// 16-point Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P₁₆.
    static let gaussLegendre: (nodes: [Double], weights: [Double]) = {
        let n = 16
        var nodes = [Double](), weights = [Double]()
        for i in 1...n {
            var x = Double.cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var (p0, p1) = (1.0, x)  // P₀, P₁ → Pₙ by Bonnet's recursion
                for k in 2...n { (p0, p1) = (p1, ((2 * Double(k) - 1) * x * p1 - Double(k - 1) * p0) / Double(k)) }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let dx = p1 / derivative
                x -= dx
                if abs(dx) < 1e-16 { break }
            }
            nodes.append(x)
            weights.append(2 / ((1 - x * x) * derivative * derivative))
        }
        return (nodes, weights)
    }()
}
