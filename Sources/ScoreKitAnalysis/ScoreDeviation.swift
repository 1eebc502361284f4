/// The deviation of a model's denoiser from an exact one along the model's own trajectory
/// (Chen et al. O4, papers.md §2.2 and §2.5 C5; diff-analyzer `cal_opt_difference` [V]):
///
///     δ_n = ‖D_model(x_n; σ_n) − D_exact(x_n; σ_n)‖ / √d,
///
/// per sample, with D_model read from the record and D_exact (empirical, GMM, Gaussian, …)
/// evaluated at the recorded states. The per-step batch mean and maximum are kept; states at
/// σ = 0 are skipped (both denoisers return x there).
public struct ScoreDeviation: Codable, Sendable, Equatable {
    public let sigmas: [Double]
    public let meanDeviation: [Double]
    public let maxDeviation: [Double]

    public init<D: Denoiser>(_ record: TrajectoryRecord<D.Scalar>, exact: D) throws(AnalysisError) {
        guard !record.x.isEmpty, record.columns == exact.dimension, record.denoised.count == record.x.count else {
            throw .invalidInput("the trajectory is empty or not in the exact denoiser's \(exact.dimension) dimensions")
        }
        let scale = 1 / Double(exact.dimension).squareRoot()
        var sigmas = [Double](), means = [Double](), maxima = [Double]()
        for (n, sigma) in record.sigmas.enumerated() where sigma > 0 {
            let reference = try AnalysisError.wrapping { try exact.denoise(record.x[n], sigma: sigma) }
            let distances = (record.denoised[n] - reference).converted(to: Double.self).rowSquaredNorms()
                .map { $0.squareRoot() * scale }
            sigmas.append(Double(sigma))
            means.append(mean(distances))
            maxima.append(distances.max() ?? 0)
        }
        self.sigmas = sigmas
        meanDeviation = means
        maxDeviation = maxima
    }
}
