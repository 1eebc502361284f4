import Foundation
import ScoreKitIO

/// Mixture parameters as `.npz` with arrays `weights` [K], `means` [K, d] and `covs` [K, d, d]
/// (the layout of the parity oracles' `gmm.npz`).
extension GaussianMixtureDenoiser {
    /// Reads and validates the parameters (the same checks as `init(weights:means:covariances:)`).
    public init(contentsOf url: URL) throws {
        let arrays = try NPZ.read(contentsOf: url)
        let names = ["weights", "means", "covs"]
        let weights = try arrays.required("weights", in: url.path, expected: names)
        let means = try arrays.required("means", in: url.path, expected: names)
        let covs = try arrays.required("covs", in: url.path, expected: names)
        guard means.shape.count == 2, weights.shape == [means.shape[0]],
              covs.shape == [means.shape[0], means.shape[1], means.shape[1]] else {
            throw DenoiserError.shapeMismatch(
                "\(url.path): shapes weights \(weights.shape), means \(means.shape), covs \(covs.shape) are not K, K×d, K×d×d")
        }
        try self.init(weights: weights.scalars(as: Scalar.self), means: means.matrix(as: Scalar.self),
                      stackedCovariances: covs.scalars(as: Scalar.self))
    }

    /// Writes the parameters atomically.
    public func write(to url: URL) throws(IOError) {
        let (k, d) = (componentCount, dimension)
        try NPZ.write([
            NamedArray("weights", NDArray(shape: [k], scalars: weights)),
            NamedArray("means", NDArray(means)),
            NamedArray("covs", NDArray(shape: [k, d, d], scalars: covariances.flatMap(\.scalars))),
        ], to: url)
    }
}
