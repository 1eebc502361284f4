/// The loss weight λ(σ) on the denoiser error ‖D(x₀ + σε; σ) − x₀‖² (EDM's convention, papers.md
/// §0.3). Since ‖D − x₀‖² = σ² ‖ε̂ − ε‖², the same weight in ε units is w_ε = σ² λ(σ), and
/// Wang, He & Tao's "total weighting" (papers.md §3.2) is w_ε times the density of σ.
public enum LossWeighting: Codable, Equatable, Sendable {
    /// EDM: λ = (σ² + σ_d²)/(σ σ_d)² = 1/c_out², uniform on the preconditioned output F.
    case edm(sigmaData: Double)
    /// NCSN (and EDM `VELoss`): σ² on the score loss, ‖σ s + ε‖² = ‖D − x₀‖²/σ², so λ = 1/σ²;
    /// this is uniform in ε units (w_ε = 1), the plain ε-prediction MSE.
    case inverseVariance
    /// λ = 1: the plain x₀-prediction MSE; in ε units w_ε = σ² = 1/SNR, i.e. the ε-loss weighted
    /// by SNR(σ) = 1/σ² is uniform here ("SNR weighting" of ε-prediction, Kingma et al. 2021).
    case uniform
    /// Min-SNR-γ (Hang et al. 2023): the ε-loss weighted by min(SNR, γ)/SNR, i.e. λ = min(1/σ², γ)
    /// (x₀-MSE with the SNR clipped at γ).
    case minSNR(gamma: Double)

    public func validate() throws(TrainingError) {
        switch self {
        case .edm(let sd): guard sd > 0, sd.isFinite else { throw .invalidConfiguration("EDM weighting σ_data \(sd)") }
        case .minSNR(let g): guard g > 0, g.isFinite else { throw .invalidConfiguration("min-SNR γ \(g)") }
        case .inverseVariance, .uniform: return
        }
    }

    /// λ(σ) for σ > 0.
    public func weight(sigma: Double) -> Double {
        let s2 = sigma * sigma
        switch self {
        case .edm(let sd): return (s2 + sd * sd) / (s2 * sd * sd)
        case .inverseVariance: return 1 / s2
        case .uniform: return 1
        case .minSNR(let g): return Swift.min(1 / s2, g)
        }
    }
}
