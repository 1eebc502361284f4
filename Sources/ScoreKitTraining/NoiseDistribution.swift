/// The distribution of training noise levels σ (papers.md §0.3, §3.3). Each draw is a function of
/// one standard normal z and one uniform u ∈ (0, 1) (`sigma(uniform:normal:)`), so a trainer can
/// address both by (seed, step, row) and a run is reproducible.
public enum NoiseDistribution: Codable, Equatable, Sendable {
    /// EDM (`EDMLoss`): ln σ ~ N(mean, standardDeviation²), σ = exp(mean + standardDeviation · z).
    case logNormal(mean: Double, standardDeviation: Double)
    /// Song VE (`VELoss`): σ = σ_min (σ_max/σ_min)^u, uniform in ln σ on [σ_min, σ_max].
    case logUniform(minimum: Double, maximum: Double)
    /// NCSNv2: σ uniform over the L geometric levels σ_i = exp(lin(ln σ_max → ln σ_min))_i
    /// (`get_sigmas`), level i = ⌊u L⌋.
    case geometricLevels(minimum: Double, maximum: Double, count: Int)
    /// EDM's `VPLoss`: t ~ U(ε_t, 1), σ = √(exp(½ β_d t² + β_min t) − 1), t = 1 + u (ε_t − 1).
    case vpUniformTime(betaD: Double, betaMin: Double, epsilonT: Double)
    /// A user-supplied table: σ = sigmas[i] with probability probabilities[i] (uniform when nil),
    /// i by inverse CDF of u.
    case table(sigmas: [Double], probabilities: [Double]?)

    /// EDM's defaults: P_mean = −1.2, P_std = 1.2.
    public static let edm = NoiseDistribution.logNormal(mean: -1.2, standardDeviation: 1.2)
    /// EDM `VELoss` defaults: log-uniform on [0.02, 100].
    public static let songVE = NoiseDistribution.logUniform(minimum: 0.02, maximum: 100)
    /// EDM `VPLoss` defaults: β_d = 19.9, β_min = 0.1, ε_t = 1e-5.
    public static let vp = NoiseDistribution.vpUniformTime(betaD: 19.9, betaMin: 0.1, epsilonT: 1e-5)

    /// The most levels of `geometricLevels` (NCSNv2 uses at most 2311).
    public static let maxLevelCount = 1 << 20

    public func validate() throws(TrainingError) {
        let ok: Bool
        switch self {
        case .logNormal(let m, let s): ok = m.isFinite && s.isFinite && s >= 0
        case .logUniform(let lo, let hi): ok = lo > 0 && hi.isFinite && lo < hi
        case .geometricLevels(let lo, let hi, let n): ok = lo > 0 && hi.isFinite && lo < hi && (2...Self.maxLevelCount).contains(n)
        case .vpUniformTime(let bd, let bm, let e): ok = bd.isFinite && bm.isFinite && bd >= 0 && bm > 0 && e > 0 && e < 1
        case .table(let sigmas, let p):
            ok = !sigmas.isEmpty && sigmas.allSatisfy { $0 > 0 && $0.isFinite }
                && (p.map { $0.count == sigmas.count && $0.allSatisfy { $0 >= 0 && $0.isFinite } && $0.reduce(0, +) > 0 } ?? true)
        }
        guard ok else { throw .invalidConfiguration("noise distribution \(self)") }
    }

    /// The geometric levels of `geometricLevels`, descending (NCSNv2 `get_sigmas`).
    public static func geometricSigmas(minimum: Double, maximum: Double, count: Int) -> [Double] {
        (0..<count).map { i in geometricSigma(level: i, minimum: minimum, maximum: maximum, count: count) }
    }

    /// Level i of `geometricSigmas` alone (a draw needs one level, not the table).
    static func geometricSigma(level i: Int, minimum: Double, maximum: Double, count: Int) -> Double {
        let (a, b) = (Double.log(maximum), Double.log(minimum))
        return Double.exp(a + (b - a) * Double(i) / Double(count - 1))
    }

    /// σ from one uniform u ∈ (0, 1) and one standard normal z (each case uses one of them).
    public func sigma(uniform u: Double, normal z: Double) -> Double {
        switch self {
        case .logNormal(let m, let s):
            return Double.exp(m + s * z)
        case .logUniform(let lo, let hi):
            return lo * Double.pow(hi / lo, u)
        case .geometricLevels(let lo, let hi, let n):
            return Self.geometricSigma(level: Swift.min(Int(u * Double(n)), n - 1), minimum: lo, maximum: hi, count: n)
        case .vpUniformTime(let bd, let bm, let e):
            let t = 1 + u * (e - 1)
            return Double.expMinusOne(bd * t * t / 2 + bm * t).squareRoot()
        case .table(let sigmas, let p):
            let weights = p ?? [Double](repeating: 1, count: sigmas.count)
            let target = u * weights.reduce(0, +)
            var cumulative = 0.0
            for (i, w) in weights.enumerated() {
                cumulative += w
                if target < cumulative { return sigmas[i] }
            }
            return sigmas[weights.lastIndex { $0 > 0 } ?? sigmas.count - 1]
        }
    }
}
