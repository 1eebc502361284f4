import Foundation
import ScoreKitIO

/// The models and measurements shared by Chen et al.'s claims C2, C5 and C6 (papers.md §2.5): a
/// train / held-out split of the digits, a GMM-k fitted to the training digits (the smooth,
/// "generalising" proxy of a trained model, with an exact denoiser), draws from a full-covariance
/// mixture, and MMD with kernels fixed once per comparison.
enum ChenProxy {
    /// The digits in [−1, 1] (the first `limit` of them when given), shuffled by `seed` and split
    /// into 4/5 training images and 1/5 held out for the quality metrics (the file's order cycles
    /// through the labels, so a strided split would skew the classes).
    static func digitsSplit(limit: Int? = nil, seed: UInt64) throws -> (train: Matrix<Double>, heldOut: Matrix<Double>) {
        let all = try ChenSetup.digits(limit: limit)
        var generator = PhiloxGenerator(seed: seed, stream: 0x7370_6C69)
        let order = Array(0..<all.rows).shuffled(using: &generator)
        let heldOut = all.rows / 5
        return (all.rows(at: order.dropFirst(heldOut)), all.rows(at: order.prefix(heldOut)))
    }

    /// A GMM with `components` full-covariance components fitted to `train` by EM (k-means++ start
    /// from `seed`). The regularisation 1e-3 on the diagonal keeps the always-blank border pixels
    /// from giving components a variance of 0, so the exact denoiser stays smooth down to σ_min.
    static func digitsMixture(train: Matrix<Double>, components: Int, seed: UInt64) throws -> GaussianMixtureDenoiser<Double> {
        var generator = PhiloxGenerator(seed: seed, stream: 0x676D_6D6B)
        return try GaussianMixtureDenoiser<Double>.fit(
            train, components: components, options: EMOptions(regularization: 1e-3, maxIterations: 100, tolerance: 1e-4),
            using: &generator).model
    }

    /// `count` independent draws from a full-covariance mixture: a component by its weight (draw
    /// 0, uniform), then m_k + L_k z with L_k L_kᵀ = S_k (draw 1, standard normal).
    static func sample(_ mixture: GaussianMixtureDenoiser<Double>, count: Int, seed: UInt64) throws -> Matrix<Double> {
        let rng = CounterNormalRNG(seed: seed)
        let u = rng.uniforms(rows: count, columns: 1, draw: 0, as: Double.self).scalars
        let z = rng.normals(rows: count, columns: mixture.dimension, draw: 1, as: Double.self)
        let factors = try mixture.covariances.map { try $0.cholesky() }
        var cumulative = [Double]()
        for w in mixture.weights { cumulative.append((cumulative.last ?? 0) + w) }
        var out = Matrix<Double>(rows: count, columns: mixture.dimension)
        for r in 0..<count {
            let k = cumulative.firstIndex { u[r] * (cumulative.last ?? 1) < $0 } ?? (mixture.componentCount - 1)
            let shift = Matrix.product(factors[k], Matrix(column: Array(z.row(r)))).scalars
            for j in 0..<mixture.dimension { out[r, j] = mixture.means[k, j] + shift[j] }
        }
        return out
    }

    /// MMD²_u of `x` to `reference` with the given kernels (fixed across a sweep, so the values along
    /// a trajectory or across schedules are comparable).
    static func mmd(_ x: Matrix<Double>, _ reference: Matrix<Double>, kernels: RBFKernelFamily) throws -> Double {
        try Metrics.maximumMeanDiscrepancy(x, reference, kernels: kernels).value
    }

    /// Per row, ‖a_r − b_r‖.
    static func rowDistances(_ a: Matrix<Double>, _ b: Matrix<Double>) -> [Double] {
        (a - b).rowSquaredNorms().map { $0.squareRoot() }
    }

    /// The q-quantile (0…1) of `values`, linear between order statistics (numpy's default).
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        let position = q * Double(s.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, s.count - 1)
        return s[lower] + (position - Double(lower)) * (s[upper] - s[lower])
    }
}
