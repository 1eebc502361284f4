import Foundation
import ScoreKitIO

/// Chen et al. O3 (papers.md §2.2, §2.5 C2): the denoising trajectory r_n = D(x_n; σ_n) converges
/// faster than the sampling trajectory x_n, so ODE-Jump — stop at step n and output r_n — reaches the
/// quality of full sampling with n + 1 instead of N evaluations. Measured with exact GMM denoisers
/// (a smooth, generalising model): the 64-d GMM-10 of C1 and a GMM-k fitted to the training digits.
public struct C2DenoisingTrajectoryJump: Experiment {
    public let id = "C2"
    public let paper = Paper.chen
    public let claim = "The denoising trajectory r_n = D(x_n; σ_n) reaches near-final sample quality while x_n is still noisy, so jumping to r_n at an intermediate step (ODE-Jump) matches full sampling with fewer evaluations."
    public let criterion = """
    Euler, N = 50 steps, Karras ρ = 7, σ 80→0.002, exact GMM denoisers: the GMM-10 of C1 (d = 64; held-out = fresh draws \
    of it) and a GMM-20 fitted by EM to a random 4/5 of the digits (held-out = the other 1/5). Quality = MMD²_u to the held-out set \
    with the RBF kernels fixed by the median heuristic between the held-out set and training data. Full sampling's \
    quality is M_full (its output x_N = r_{N−1}, N NFE); the data's own noise floor F = |MMD²_u(training sample of the \
    same size, held-out)|. The jump step n* is the first n with MMD(r_n) ≤ max(M_full, 0)·1.1 + F (ODE-Jump then costs \
    n* + 1 NFE). Per model: "saves" if n* + 1 ≤ 0.8 N; "faster" if at n* the sampling state is still far from a sample, \
    MMD(x_{n*}) ≥ 10 × that bound. Holds if both models save and are faster; does not hold if neither model saves; \
    partly holds otherwise.
    """

    let steps: Int
    let batchOverride: Int?
    let digitsLimit: Int?
    let components: Int

    public init() { self.init(steps: 50, batch: nil, digitsLimit: nil, components: 20) }

    /// Smaller runs for tests.
    init(steps: Int, batch: Int?, digitsLimit: Int?, components: Int) {
        self.steps = steps
        self.batchOverride = batch
        self.digitsLimit = digitsLimit
        self.components = components
    }

    /// One model's trajectories and their quality along the steps.
    struct Measured {
        let name: String
        let key: String
        /// σ_n of the steps n = 0 … N − 1 (the states that have a denoiser output).
        let sigmas: [Double]
        /// Batch means of ‖r_n − x_final‖ and ‖x_n − x_final‖.
        let denoisedDistance: [Double]
        let stateDistance: [Double]
        let denoisedMMD: [Double]
        let stateMMD: [Double]
        let fullMMD: Double
        let floor: Double

        var bound: Double { Swift.max(fullMMD, 0) * 1.1 + floor }
        var jumpStep: Int? { denoisedMMD.firstIndex { $0 <= bound } }
        var saves: Bool { jumpStep.map { $0 + 1 <= Int((0.8 * Double(sigmas.count)).rounded(.down)) } ?? false }
        var faster: Bool { jumpStep.map { stateMMD[$0] >= 10 * bound } ?? false }
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let batch = batchOverride ?? (context.quick ? 200 : 500)
        let sigmas = try ChenSetup.karras(steps: steps)
        let gmm64 = try ChenSetup.mixture64(seed: context.seed)
        let split = try ChenProxy.digitsSplit(limit: digitsLimit, seed: context.seed)
        let digitsModel = try ChenProxy.digitsMixture(train: split.train, components: components, seed: context.seed)
        context.progress(1, 3)
        let gmmReference = try ChenProxy.sample(gmm64, count: batch, seed: context.seed &+ 20)
        let gmmTraining = try ChenProxy.sample(gmm64, count: batch, seed: context.seed &+ 21)
        let digitsTraining = split.train.rows(0..<min(batch, split.train.rows))
        let measured = [
            try measure("GMM-10, d = 64 (exact)", "gmm64", gmm64, reference: gmmReference, training: gmmTraining,
                        sigmas: sigmas, batch: batch, seed: context.seed &+ 22),
            try measure("digits GMM-\(components) (exact)", "digits", digitsModel, reference: split.heldOut,
                        training: digitsTraining, sigmas: sigmas, batch: batch, seed: context.seed &+ 23),
        ]
        context.progress(3, 3)

        var numbers = [String: Double]()
        for m in measured {
            numbers["\(m.key).full_mmd"] = m.fullMMD
            numbers["\(m.key).noise_floor_mmd"] = m.floor
            guard let n = m.jumpStep else { continue }
            numbers["\(m.key).jump_nfe"] = Double(n + 1)
            numbers["\(m.key).jump_sigma"] = m.sigmas[n]
            numbers["\(m.key).state_mmd_at_jump"] = m.stateMMD[n]
            numbers["\(m.key).denoised_distance_at_jump"] = m.denoisedDistance[n]
            numbers["\(m.key).state_distance_at_jump"] = m.stateDistance[n]
        }
        numbers["full_nfe"] = Double(steps)
        let allSave = measured.allSatisfy(\.saves), allFaster = measured.allSatisfy(\.faster)
        let verdict: Verdict = allSave && allFaster ? .holds : (measured.contains(where: \.saves) ? .partlyHolds : .doesNotHold)
        let key = "ODE-Jump NFE (full \(steps)): " + measured.map { m in
            "\(m.key) \(m.jumpStep.map { String($0 + 1) } ?? "none")"
        }.joined(separator: ", ")
        let reading = measured.map { m -> String in
            guard let n = m.jumpStep else {
                return "\(m.name): no r_n reaches the full-sampling quality bound \(ChenSetup.format(m.bound)) before the end."
            }
            return """
            \(m.name): r_n first matches full sampling (MMD \(ChenSetup.format(m.denoisedMMD[n])) ≤ \(ChenSetup.format(m.bound)); \
            full \(ChenSetup.format(m.fullMMD)), floor \(ChenSetup.format(m.floor))) at step \(n), σ = \(ChenSetup.format(m.sigmas[n])), \
            i.e. \(n + 1) of \(steps) NFE (\(m.saves ? "saves" : "does not save") ≥ 20 %); there x_n is \
            \(m.faster ? "still far from a sample" : "not yet 10× worse than the bound") (MMD \(ChenSetup.format(m.stateMMD[n])), \
            \(ChenSetup.format(m.stateMMD[n] / m.bound, 2))× the bound) and \
            ‖x_n − x_0‖ = \(ChenSetup.format(m.stateDistance[n])) vs ‖r_n − x_0‖ = \(ChenSetup.format(m.denoisedDistance[n])).
            """
        }.joined(separator: " ") + " The denoising output r_n approaches the final sample well before the state x_n does, because x_n carries σ_n z of noise that only the remaining steps remove."
        return result(verdict: verdict, numbers: numbers, keyNumber: key, reading: reading,
                      figures: [distanceFigure(measured), qualityFigure(measured)],
                      config: ["sampler": "euler", "steps": String(steps), "schedule": "karras rho=7, 0.002..80",
                               "samples": String(batch), "digits_gmm_components": String(components),
                               "digits_train_heldout": "\(split.train.rows)/\(split.heldOut.rows)"])
    }

    /// Euler from `batch` fresh x_T with `model`; distances to each path's end and MMD of r_n and x_n
    /// to `reference`, with kernels fixed by `reference` and `training` (a data sample of the batch size).
    func measure<D: Denoiser>(_ name: String, _ key: String, _ model: D, reference: Matrix<Double>, training: Matrix<Double>,
                              sigmas: [Double], batch: Int, seed: UInt64) throws -> Measured where D.Scalar == Double {
        let record = try ChenSetup.eulerRecord(model, start: ChenSetup.start(count: batch, dimension: model.dimension, seed: seed),
                                               sigmas: sigmas)
        guard let final = record.x.last else { throw ExperimentError.failed(id: id, reason: "empty trajectory") }
        let kernels = try RBFKernelFamily.medianHeuristic(reference, training)
        let steps = 0..<(record.x.count - 1)
        return Measured(
            name: name, key: key, sigmas: steps.map { record.sigmas[$0] },
            denoisedDistance: steps.map { ChenSetup.mean(ChenProxy.rowDistances(record.denoised[$0], final)) },
            stateDistance: steps.map { ChenSetup.mean(ChenProxy.rowDistances(record.x[$0], final)) },
            denoisedMMD: try steps.map { try ChenProxy.mmd(record.denoised[$0], reference, kernels: kernels) },
            stateMMD: try steps.map { try ChenProxy.mmd(record.x[$0], reference, kernels: kernels) },
            fullMMD: try ChenProxy.mmd(final, reference, kernels: kernels),
            floor: abs(try ChenProxy.mmd(training, reference, kernels: kernels)))
    }

    /// Steps 0 … N − 2: at the last step r_{N−1} is the final sample itself (distance 0).
    private func distanceFigure(_ measured: [Measured]) -> Figure {
        .plot(PlotSpec(
            title: "C2: distance to the final sample along the trajectories", xLabel: "step n (a jump at n costs n + 1 NFE)",
            yLabel: "batch mean distance to x₀ (log scale)", yScale: .log,
            series: measured.flatMap { m -> [PlotSpec.Series] in
                let n = m.sigmas.indices.dropLast().map(Double.init)
                return [
                    .init(label: "‖x_n − x₀‖, \(m.key)", x: n, y: Array(m.stateDistance.dropLast())),
                    .init(label: "‖r_n − x₀‖, \(m.key)", x: n, y: Array(m.denoisedDistance.dropLast())),
                ]
            }))
    }

    private func qualityFigure(_ measured: [Measured]) -> Figure {
        .plot(PlotSpec(
            title: "C2: sample quality of r_n (ODE-Jump) and x_n against full sampling",
            xLabel: "step n (a jump at n costs n + 1 NFE)", yLabel: "MMD² to held-out data (log scale; ≤ 0 not drawn)",
            yScale: .log,
            series: measured.flatMap { m -> [PlotSpec.Series] in
                let n = m.sigmas.indices.map(Double.init)
                return [
                    .init(label: "r_n, \(m.key)", x: n, y: m.denoisedMMD, style: .linePoints),
                    .init(label: "x_n, \(m.key)", x: n, y: m.stateMMD),
                    .init(label: "full sampling (\(steps) NFE), \(m.key)", x: [0, Double(steps - 1)], y: [m.fullMMD, m.fullMMD]),
                ]
            },
            markers: measured.compactMap { m in m.jumpStep.map { .init(axis: .x, value: Double($0), label: "jump, \(m.key)") } }))
    }
}
