import ScoreKitDenoisers

/// The exact "sampler" of a Gaussian data model (papers.md §4, Wang & Vastola): the probability-flow
/// ODE of N(μ, Σ) is solved in closed form, so a whole schedule costs no denoiser evaluation. It moves
/// x from σ₀ to the smallest nonzero σ of the schedule and, when the schedule ends in 0, returns
/// D(x; σ_{N−1}) there as every k-diffusion sampler's last step does (one evaluation). With
/// `exactToZero` it follows the flow all the way to σ = 0 instead.
public func sampleGaussianClosedForm<Scalar: MatrixScalar>(
    _ gaussian: GaussianDenoiser<Scalar>, from x: Matrix<Scalar>, sigmas: [Scalar], exactToZero: Bool = false
) throws -> (x: Matrix<Scalar>, nfe: Int) {
    guard let first = sigmas.first, sigmas.count >= 2, first > 0 else {
        throw SamplingError.invalidSchedule("the closed form needs a schedule starting above 0 with at least one step")
    }
    guard let last = sigmas.last(where: { $0 > 0 }) else { return (x, 0) }
    if exactToZero && sigmas.last == 0 { return (try gaussian.flow(x, from: first, to: 0), 0) }
    let moved = try gaussian.flow(x, from: first, to: last)
    return sigmas.last == 0 ? (try gaussian.denoise(moved, sigma: last), 1) : (moved, 0)
}
