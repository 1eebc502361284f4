/// Exact log-likelihood through the probability-flow ODE (Song et al. 2021, §4.3 and App. D.2;
/// the instantaneous change of variables of Chen et al. 2018, FFJORD), in the VE/EDM form of
/// papers.md §0.1: `dx/dσ = f(x, σ) = (x − D(x; σ))/σ`.
///
/// Along a solution, `d log p_σ(x(σ))/dσ = −∇·f`, so for a point x at σ_min
///
///     log p_{σ_min}(x) = log π(x(σ_max)) + ∫_{σ_min}^{σ_max} ∇·f dσ,
///     ∇·f = (d − tr ∂D/∂x)/σ,
///
/// with the prior π = N(0, σ_max² I) standing in for p_{σ_max} (the data's spread is negligible
/// next to σ_max). The ODE and the integral run together in s = log σ, where they read
/// `dx/ds = x − D`, `dℓ/ds = d − tr ∂D/∂x` (bounded rates: no stiffness at small σ), by classical
/// RK4 with `steps` equal steps from log σ_min to log σ_max.
///
/// **Divergence.** tr ∂D/∂x by central differences of D along directions v,
/// `vᵀ(D(x + hv) − D(x − hv))/(2h)` with h = ε^{1/3} σ (D varies on the scale σ; ε^{1/3} balances
/// truncation against rounding), all directions of a step in one batched denoiser call:
/// * `exact`: the d unit vectors (d directions, cost 2d + 1 rows per point; for small d);
/// * `hutchinson`: the mean over `probes` Rademacher vectors v ∈ {±1}^d, `E[vᵀJv] = tr J`
///   (Hutchinson 1989), drawn per sample from the counter-based RNG (sign of draw k of sample i
///   for seed `seed`), fixed over the whole solve as in FFJORD; unbiased, variance
///   `2 Σ_{i≠j} ((J_ij + J_ji)/2)² / probes` per evaluation.
///
/// The result is log p_{σ_min}: the density of the data smoothed by N(0, σ_min² I).
public enum ProbabilityFlowLikelihood {
    public enum Divergence: Sendable, Equatable, Codable {
        case exact
        case hutchinson(probes: Int, seed: UInt64)
    }

    public struct Options: Sendable, Equatable, Codable {
        public var sigmaMin: Double
        public var sigmaMax: Double
        public var steps: Int
        public var divergence: Divergence

        public init(sigmaMin: Double = 0.002, sigmaMax: Double = 80, steps: Int = 128, divergence: Divergence = .exact) {
            self.sigmaMin = sigmaMin
            self.sigmaMax = sigmaMax
            self.steps = steps
            self.divergence = divergence
        }
    }

    /// Rows per batched denoiser call (points × directions), to bound memory on large inputs.
    static let rowsPerCall = 1 << 16

    /// log p_{σ_min}(x) in nats for every row of `x`.
    public static func logLikelihood<D: Denoiser>(_ denoiser: D, _ x: Matrix<D.Scalar>,
                                                  options: Options = .init()) throws(AnalysisError) -> [Double] {
        let d = denoiser.dimension
        guard x.columns == d, x.rows >= 1, x.isFinite else {
            throw .invalidInput("points must be finite rows in the denoiser's \(d) dimensions")
        }
        guard options.sigmaMin > 0, options.sigmaMin < options.sigmaMax, options.sigmaMax.isFinite, options.steps >= 1 else {
            throw .invalidArgument("the PF-ODE likelihood needs 0 < σ_min < σ_max and steps ≥ 1")
        }
        let directionCount: Int
        switch options.divergence {
        case .exact: directionCount = d
        case .hutchinson(let probes, _):
            guard probes >= 1 else { throw .invalidArgument("Hutchinson needs at least one probe") }
            directionCount = probes
        }
        let chunk = Swift.max(1, rowsPerCall / (2 * directionCount + 1))
        var result = [Double]()
        result.reserveCapacity(x.rows)
        for start in stride(from: 0, to: x.rows, by: chunk) {
            let rows = start..<Swift.min(start + chunk, x.rows)
            result += try solve(denoiser, x.rows(rows), firstSample: start, options: options)
        }
        return result
    }

    /// RK4 in s = log σ on (x, ℓ) for one chunk of rows (global indices from `firstSample`).
    private static func solve<D: Denoiser>(_ denoiser: D, _ x0: Matrix<D.Scalar>, firstSample: Int,
                                           options: Options) throws(AnalysisError) -> [Double] {
        typealias S = D.Scalar
        let (b, d) = (x0.rows, x0.columns)
        let directions = probeDirections(rows: b, columns: d, firstSample: firstSample, options.divergence, as: S.self)
        let h = Double.pow(Double(S.ulpOfOne), 1.0 / 3.0)
        // The exact trace sums over the unit vectors; Hutchinson averages over its probes.
        let weight = options.divergence == .exact ? 1 : 1 / Double(directions.count)

        /// (dx/ds, dℓ/ds) at state x and s.
        func rates(_ x: Matrix<S>, _ s: Double) throws(AnalysisError) -> (Matrix<S>, [Double]) {
            let sigma = Double.exp(s)
            let step = S(h * sigma)
            var stack = [x]
            for v in directions {
                stack.append(x.linearCombination(1, step, v))
                stack.append(x.linearCombination(1, -step, v))
            }
            let denoised = try AnalysisError.wrapping { try denoiser.denoise(Matrix.vstack(stack), sigma: S(sigma)) }
            guard denoised.rows == b * stack.count, denoised.columns == d else {
                throw .invalidInput("the denoiser returned \(denoised.rows)×\(denoised.columns) for \(b * stack.count)×\(d) input")
            }
            var trace = [Double](repeating: 0, count: b)
            for (k, v) in directions.enumerated() {
                let plus = (2 * k + 1) * b, minus = (2 * k + 2) * b
                for r in 0..<b {
                    var acc = 0.0
                    for j in 0..<d { acc += Double(v[r, j]) * Double(denoised[plus + r, j] - denoised[minus + r, j]) }
                    trace[r] += acc / (2 * Double(step))
                }
            }
            return (x - denoised.rows(0..<b), trace.map { Double(d) - $0 * weight })
        }

        let (s0, s1) = (Double.log(options.sigmaMin), Double.log(options.sigmaMax))
        let ds = (s1 - s0) / Double(options.steps)
        var x = x0
        var integral = [Double](repeating: 0, count: b)
        for n in 0..<options.steps {
            let s = s0 + Double(n) * ds
            let (k1, l1) = try rates(x, s)
            let (k2, l2) = try rates(x.linearCombination(1, S(ds / 2), k1), s + ds / 2)
            let (k3, l3) = try rates(x.linearCombination(1, S(ds / 2), k2), s + ds / 2)
            let (k4, l4) = try rates(x.linearCombination(1, S(ds), k3), s + ds)
            x.axpy(S(ds / 6), k1); x.axpy(S(ds / 3), k2); x.axpy(S(ds / 3), k3); x.axpy(S(ds / 6), k4)
            for r in 0..<b { integral[r] += ds / 6 * (l1[r] + 2 * l2[r] + 2 * l3[r] + l4[r]) }
            guard x.isFinite else { throw .underlying("the PF-ODE diverged at σ = \(Double.exp(s + ds)); use more steps") }
        }
        let variance = options.sigmaMax * options.sigmaMax
        let normaliser = -0.5 * Double(d) * Double.log(2 * Double.pi * variance)
        let squared = x.converted(to: Double.self).rowSquaredNorms()
        return (0..<b).map { r in normaliser - squared[r] / (2 * variance) + integral[r] }
    }

    /// The directions v of the divergence estimate, each a rows × columns matrix (row r for sample
    /// firstSample + r): unit vectors e_j (exact) or Rademacher signs (Hutchinson).
    static func probeDirections<S: MatrixScalar>(rows: Int, columns: Int, firstSample: Int, _ divergence: Divergence,
                                                 as _: S.Type) -> [Matrix<S>] {
        switch divergence {
        case .exact:
            return (0..<columns).map { j in Matrix(rows: rows, columns: columns) { _, c in c == j ? 1 : 0 } }
        case .hutchinson(let probes, let seed):
            let rng = CounterNormalRNG(seed: seed)
            return (0..<probes).map { k in
                rng.normals(rows: rows, columns: columns, firstSample: firstSample, draw: k, as: S.self).map { $0 < 0 ? -1 : 1 }
            }
        }
    }
}
