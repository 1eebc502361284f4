extension GaussianDenoiser {
    /// The Gaussian fitted to the rows of `data`: their mean and 1/N covariance (the covariance of
    /// the empirical distribution, as the oracles' `gaussian` denoiser), optionally shrunk toward a
    /// scaled identity, `Σ ← (1 − α) Σ + α (tr Σ / d) I`, which keeps the trace and lifts the
    /// zero eigenvalues of rank-deficient data (e.g. the always-blank pixels of digits).
    ///
    /// - Parameter shrinkage: α ∈ [0, 1].
    public init(fitting data: Matrix<Scalar>, shrinkage: Scalar = 0) throws(DenoiserError) {
        guard data.rows > 0 && data.columns > 0 else { throw .emptyTrainingSet }
        guard data.isFinite else { throw .nonFiniteParameters("the data") }
        guard shrinkage >= 0 && shrinkage <= 1 else { throw .invalidArgument("shrinkage must lie in [0, 1] (got \(shrinkage))") }
        var (mean, covariance) = data.meanAndCovariance()
        if shrinkage > 0 {
            let d = data.columns
            let target = (0..<d).reduce(Scalar(0)) { $0 + covariance[$1, $1] } / Scalar(d)
            covariance = covariance * (1 - shrinkage) + Matrix.identity(d) * (shrinkage * target)
        }
        try self.init(mean: mean, covariance: covariance)
    }

    /// The isotropic Gaussian `N(mean, variance · I)` (k = 0, ρ = variance).
    public static func isotropic(mean: [Scalar], variance: Scalar) throws(DenoiserError) -> GaussianDenoiser {
        guard !mean.isEmpty else { throw .shapeMismatch("a Gaussian needs at least one dimension") }
        guard mean.allSatisfy({ $0.isFinite }) else { throw .nonFiniteParameters("the mean") }
        guard variance.isFinite && variance >= 0 else { throw .invalidArgument("variance must be finite and ≥ 0 (got \(variance))") }
        return GaussianDenoiser(mean: mean, eigenvalues: [], eigenvectors: Matrix(rows: mean.count, columns: 0),
                                complementVariance: variance)
    }

    /// The rank-k approximation: the top-k eigenpairs kept, every other direction given the mean of
    /// the eigenvalues dropped (Wang & Vastola's low-rank Gaussian with an isotropic remainder;
    /// papers.md §0.4(a)–(b)). Its trace equals this model's; k = d returns the same model.
    ///
    /// - Parameter k: 0 ≤ k ≤ `rank` (directions already averaged cannot be recovered).
    public func lowRank(_ k: Int) throws(DenoiserError) -> GaussianDenoiser {
        guard k >= 0 && k <= rank else { throw .invalidArgument("rank \(k) is outside 0…\(rank)") }
        let d = dimension
        let dropped = eigenvalues[k...].reduce(0, +) + (hasComplement ? Scalar(d - rank) * complementVariance : 0)
        return GaussianDenoiser(mean: mean, eigenvalues: Array(eigenvalues[..<k]),
                                eigenvectors: Matrix(rows: d, columns: k) { i, j in eigenvectors[i, j] },
                                complementVariance: k < d ? dropped / Scalar(d - k) : 0)
    }
}
