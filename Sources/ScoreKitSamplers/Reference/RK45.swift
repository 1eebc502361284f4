/// Adaptive Dormand–Prince 5(4) on the probability-flow ODE (Karras et al. 2022, §2), from σ_0
/// to the last nonzero σ of the schedule, landing on every schedule σ so that it can be compared
/// with a fixed-step sampler step by step; the accuracy reference for the other samplers.
///
/// The observer sees every nonzero schedule σ_i with x(σ_i) and D(x(σ_i); σ_i), the evaluation
/// the solver makes there anyway (first same as last), so observing costs nothing. With a final 0
/// and `denoiseToZero`, the result is that D at σ_{N−1}, with no extra evaluation.
public func sampleRK45<D: Denoiser>(
    _ model: SamplingModel<D>, from x: Matrix<D.Scalar>, sigmas: [D.Scalar],
    options: DormandPrinceOptions<D.Scalar> = .init()
) throws -> Matrix<D.Scalar> {
    try ScheduleChecks.zeroTerminated(sigmas, state: x, dimension: model.denoiser.dimension)
    let ode = ProbabilityFlowODE(model: model, variable: options.variable)
    var solver = try DormandPrince45(ode: ode, options: options)
    let targets = sigmas.filter { $0 > 0 }
    var point = try ode.point(x, t: ode.time(of: targets[0]), sigma: targets[0])
    for (i, sigma) in targets.enumerated() {
        if i > 0 { point = try solver.advance(from: point, to: sigma) }
        model.observe(step: i, sigma: sigma, sigmaHat: sigma, x: point.x, denoised: point.denoised)
    }
    return sigmas.last == 0 && options.denoiseToZero ? point.denoised : point.x
}
