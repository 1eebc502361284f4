import ScoreKitNumerics

/// A mixture of isotropic Gaussians `Σ_k w_k N(m_k, s_k² I)` with known parameters, so that data
/// drawn from it has an exact score (the Denoisers layer builds the exact denoiser from it).
public struct IsotropicMixture<Scalar: MatrixScalar>: Sendable, Codable, Equatable {
    public let weights: [Scalar]
    /// K × d: row k is the mean of component k.
    public let means: Matrix<Scalar>
    public let standardDeviations: [Scalar]

    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case shape(String)
        case weights(String)
        case deviation(String)
        public var description: String {
            switch self {
            case .shape(let s), .weights(let s), .deviation(let s): return "invalid mixture: \(s)"
            }
        }
    }

    public init(weights: [Scalar], means: Matrix<Scalar>, standardDeviations: [Scalar]) throws(Invalid) {
        guard means.rows > 0, weights.count == means.rows, standardDeviations.count == means.rows else {
            throw .shape("\(weights.count) weights, \(means.rows) means and \(standardDeviations.count) deviations")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), abs(weights.reduce(0, +) - 1) < 1e-6 else {
            throw .weights("weights must be nonnegative and sum to 1")
        }
        guard standardDeviations.allSatisfy({ $0.isFinite && $0 >= 0 }), means.isFinite else {
            throw .deviation("means and standard deviations must be finite, deviations ≥ 0")
        }
        self.weights = weights
        self.means = means
        self.standardDeviations = standardDeviations
    }

    public var dimension: Int { means.columns }
    public var componentCount: Int { means.rows }

    /// `count` points; point i and its component depend only on (seed, i).
    ///
    /// Draw 0 holds the uniform that picks the component (inverse CDF of the weights), draw 1 the
    /// normal offset. Returns the points and the component of each.
    public func sample(count: Int, seed: UInt64) -> (points: Matrix<Scalar>, components: [Int]) {
        let rng = CounterNormalRNG(seed: seed)
        let u = rng.uniforms(rows: count, columns: 1, draw: 0, as: Scalar.self)
        var points = rng.normals(rows: count, columns: dimension, draw: 1, as: Scalar.self)
        var cumulative = [Scalar]()
        var acc: Scalar = 0
        for w in weights { acc += w; cumulative.append(acc) }
        var components = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let k = cumulative.firstIndex { u.scalars[i] < $0 } ?? (componentCount - 1)
            components[i] = k
            let s = standardDeviations[k]
            for j in 0..<dimension { points[i, j] = means[k, j] + s * points[i, j] }
        }
        return (points, components)
    }

    /// `components` equal-weight Gaussians with standard deviation `std` evenly spaced on a circle of
    /// `radius` in the plane (the "ring8" set of the parity oracles: 8 components, radius 2, std 0.1).
    public static func ring(components: Int = 8, radius: Scalar = 2, std: Scalar = 0.1) throws(Invalid) -> Self {
        guard components > 0 else { throw .shape("a ring needs at least one component") }
        let means = Matrix<Scalar>(rows: components, columns: 2) { k, j in
            let angle = 2 * Scalar.pi * Scalar(k) / Scalar(components)
            return radius * (j == 0 ? Scalar.cos(angle) : Scalar.sin(angle))
        }
        return try IsotropicMixture(weights: [Scalar](repeating: 1 / Scalar(components), count: components),
                                    means: means, standardDeviations: [Scalar](repeating: std, count: components))
    }
}
