import ScoreKitNumerics

/// The 2-D toy distributions of the diffusion literature, generated per point: point i depends
/// only on (seed, i), so a larger set extends a smaller one with the same seed.
public enum ToyDataset: String, CaseIterable, Codable, Sendable {
    /// 8 Gaussians on a circle of radius 2, std 0.1 (exact mixture score: `IsotropicMixture.ring()`).
    case ring8
    /// A spiral `t (cos t, sin t)/5` for t uniform in [1.5π, 4.5π], plus N(0, 0.1²) noise.
    case swissroll
    /// Two interleaved half circles (scikit-learn's `make_moons` geometry), plus N(0, 0.05²) noise.
    case moons
    /// Uniform on the 8 dark squares of a 4 × 4 checkerboard on [−2, 2]².
    case checkerboard

    /// `count` points as a count × 2 matrix.
    public func sample<Scalar: MatrixScalar>(count: Int, seed: UInt64, as _: Scalar.Type = Scalar.self) -> Matrix<Scalar> {
        let rng = CounterNormalRNG(seed: seed)
        switch self {
        case .ring8:
            // The ring parameters are constants and valid, so construction cannot fail.
            guard let ring = try? IsotropicMixture<Scalar>.ring() else { return Matrix(rows: 0, columns: 2) }
            return ring.sample(count: count, seed: seed).points
        case .swissroll:
            let u = rng.uniforms(rows: count, columns: 1, draw: 0, as: Scalar.self)
            let z = rng.normals(rows: count, columns: 2, draw: 1, as: Scalar.self)
            return Matrix(rows: count, columns: 2) { i, j in
                let t = Scalar.pi * (1.5 + 3 * u.scalars[i])
                return t * (j == 0 ? Scalar.cos(t) : Scalar.sin(t)) / 5 + Scalar(0.1) * z[i, j]
            }
        case .moons:
            let u = rng.uniforms(rows: count, columns: 2, draw: 0, as: Scalar.self)
            let z = rng.normals(rows: count, columns: 2, draw: 1, as: Scalar.self)
            return Matrix(rows: count, columns: 2) { i, j in
                let theta = Scalar.pi * u[i, 0]
                let upper = u[i, 1] < 0.5
                let base = upper
                    ? (j == 0 ? Scalar.cos(theta) : Scalar.sin(theta))
                    : (j == 0 ? 1 - Scalar.cos(theta) : Scalar(0.5) - Scalar.sin(theta))
                return base + Scalar(0.05) * z[i, j]
            }
        case .checkerboard:
            let u = rng.uniforms(rows: count, columns: 3, draw: 0, as: Scalar.self)
            return Matrix(rows: count, columns: 2) { i, j in
                // Pick one of the 8 dark cells (row r, column c with r + c even), then a point inside it.
                let cell = min(Int(u[i, 2] * 8), 7)
                let r = cell / 2, c = 2 * (cell % 2) + (r % 2)
                return j == 0 ? -2 + Scalar(c) + u[i, 0] : -2 + Scalar(r) + u[i, 1]
            }
        }
    }
}
