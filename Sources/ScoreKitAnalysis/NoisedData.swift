/// Seeded noised data `x = x₀ + σ ε` for explained-variance measurements (papers.md §4.3: "x_t =
/// training image + σ z"). The clean points x₀ (rows of the data picked with seeded uniforms) and
/// the standard-normal ε are drawn once, so every σ reuses them (common random numbers): the
/// measured curves are then smooth in σ, which the bisection of `TeleportationSigma` relies on.
public struct NoisedData<Scalar: MatrixScalar>: Sendable {
    /// The chosen clean points, M × d.
    public let clean: Matrix<Scalar>
    /// The standard-normal draws, M × d.
    public let noise: Matrix<Scalar>

    /// - Parameters:
    ///   - data: the N × d data set (finite, N ≥ 1).
    ///   - count: M ≥ 2 noised points; with M = N every row is used once, in order.
    ///   - seed: the `CounterNormalRNG` seed (draw 0: ε; draw 1: uniforms choosing rows when M ≠ N).
    public init(data: Matrix<Scalar>, count: Int, seed: UInt64) throws(AnalysisError) {
        guard data.rows >= 1 && data.columns >= 1 && data.isFinite else {
            throw .invalidInput("the data set must be non-empty and finite")
        }
        guard count >= 2 else { throw .invalidArgument("at least 2 noised points are needed (got \(count))") }
        let rng = CounterNormalRNG(seed: seed)
        if count == data.rows {
            clean = data
        } else {
            let u = rng.uniforms(rows: count, columns: 1, draw: 1, as: Double.self)
            clean = data.rows(at: u.scalars.map { min(data.rows - 1, Int($0 * Double(data.rows))) })
        }
        noise = rng.normals(rows: count, columns: data.columns, draw: 0)
    }

    /// x₀ + σ ε.
    public func at(_ sigma: Scalar) -> Matrix<Scalar> { clean.linearCombination(1, sigma, noise) }
}
