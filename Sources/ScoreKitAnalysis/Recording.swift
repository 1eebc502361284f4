extension SamplerName {
    /// Runs the sampler and returns its trajectory (`TrajectoryRecorder`): the input every
    /// analysis of this module reads, and a GITS teacher when run on a fine grid.
    public func record<D: Denoiser>(_ denoiser: D, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
                                    options: SamplerOptions<D.Scalar> = .init(),
                                    noise: inout some NoiseSource<D.Scalar>) throws(AnalysisError)
        -> TrajectoryRecord<D.Scalar> {
        guard let lastPositive = sigmas.last(where: { $0 > 0 }), let end = sigmas.last else {
            throw .invalidInput("the schedule has no positive σ")
        }
        let recorder = TrajectoryRecorder<D.Scalar>()
        let model = SamplingModel(denoiser, observer: recorder.observe)
        return try AnalysisError.wrapping {
            let final = try sample(model, from: x, sigmas: sigmas, options: options, noise: &noise)
            let sigma = endsAtSmallestSigma ? lastPositive : end
            // A run that stops above 0 needs D of its final state (not counted in NFE).
            let finalDenoised = sigma > 0 ? try denoiser.denoise(final, sigma: sigma) : nil
            return try recorder.finish(final, sigma: sigma, denoised: finalDenoised, nfe: model.nfe)
        }
    }
}
