/// The reference solvers and score-SDE samplers, by the names the command line uses.
///
/// `rk4` and `rk45` integrate the probability-flow ODE (accuracy references for the fast
/// samplers); `euler_maruyama` and `pc` sample the reverse-time VE SDE of Song et al. (2021);
/// `ald` is NCSNv2's annealed Langevin dynamics (Song & Ermon 2019, 2020).
public enum ReferenceSamplerName: String, CaseIterable, Codable, Sendable {
    case rk4
    case rk45
    case eulerMaruyama = "euler_maruyama"
    case pc
    case ald

    /// Whether the sampler draws noise (and so needs a `NoiseSource` other than `NoNoise`).
    public var isStochastic: Bool {
        switch self {
        case .rk4, .rk45: return false
        case .eulerMaruyama, .pc, .ald: return true
        }
    }

    /// Whether the sampler takes a schedule ending in σ = 0 (k-diffusion's `sigmas`); `ald` takes
    /// NCSN's list of positive noise levels instead.
    public var takesZeroTerminatedSchedule: Bool { self != .ald }
}
