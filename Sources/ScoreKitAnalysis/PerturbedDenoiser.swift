/// A denoiser with an injected error of chosen size, for schedule/error studies (Wang, He & Tao's
/// score error E_S, papers.md §3.2; §3.4 T2 (c) "synthetic degradation") [I: the form is ours]:
///
///     constant:    D̃(x; σ) = D(x; σ) + δ u          (‖D̃ − D‖ = δ: score error δ/σ²)
///     noiseScaled: D̃(x; σ) = D(x; σ) + δ σ u        (ε-prediction error exactly δ, flat in ε
///                                                   units like a DSM fit with flat ε-weighting:
///                                                   score error δ/σ)
///
/// with u a fixed unit vector drawn from `CounterNormalRNG(seed)` (draw 0 of sample 0,
/// normalised): a smooth, x-independent bias field, so the perturbed PF-ODE is still well posed.
public struct PerturbedDenoiser<Base: Denoiser>: Denoiser {
    public typealias Scalar = Base.Scalar

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case constant
        case noiseScaled = "noise_scaled"
    }

    public let base: Base
    public let delta: Scalar
    public let kind: Kind
    /// The unit direction u.
    public let direction: [Scalar]

    public var dimension: Int { base.dimension }

    public init(_ base: Base, delta: Scalar, kind: Kind, seed: UInt64) throws(AnalysisError) {
        guard delta.isFinite && delta >= 0 else { throw .invalidArgument("the error size δ must be finite and ≥ 0 (got \(delta))") }
        let draw = CounterNormalRNG(seed: seed).normals(rows: 1, columns: base.dimension, draw: 0, as: Double.self).scalars
        let length = norm(draw)
        guard length > 0 else { throw .invalidArgument("the random direction has zero length") }
        self.base = base
        self.delta = delta
        self.kind = kind
        direction = draw.map { Scalar($0 / length) }
    }

    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        let d = try base.denoise(x, sigma: sigma)
        let size = kind == .constant ? delta : delta * sigma
        return size == 0 ? d : d.addingToRows(direction.map { $0 * size })
    }
}
