import Foundation
import ScoreKitIO

/// GITS (Chen et al., ICML'24; papers.md §2.3, §2.5 C6): a K-step time schedule chosen by dynamic
/// programming on a fine teacher trajectory beats the hand-made ρ = 7 and log-uniform grids at small
/// NFE, because all trajectories share one regular ("boomerang") shape, so a schedule fitted on a few
/// warm-up samples serves every sample. The model is the exact denoiser of a GMM-k fitted to the
/// digits (the plan's smooth proxy of a trained digits model).
public struct C6GITSSchedule: Experiment {
    public let id = "C6"
    public let paper = Paper.chen
    public let claim = "GITS schedules (DP on a teacher trajectory) give better few-step samples than ρ = 7 and log-uniform grids, most of all at NFE ≤ 6, and the per-step cost profile is shared across samples."
    public let criterion = """
    Exact denoiser of a GMM-20 fitted to a random 4/5 of the digits; σ 80→0.002. Teacher: iPNDM (order 4) on the Karras ρ = 7 grid \
    of 61 timestamps, 256 warm-up samples (quick 128); GITS: metric l2, coeff 1.15, K = NFE − 1 DP steps. Students: iPNDM \
    with NFE ∈ {4, 5, 6, 8, 10} (NFE nonzero σ then 0) on ρ = 7, log-uniform and GITS schedules, from fresh x_T; metrics: \
    mean ‖x − x_teacher‖ from the same x_T, and MMD²_u to the held-out digits (kernels fixed by the median heuristic between \
    held-out and training digits; noise floor F = |MMD²_u(training sample of the same size, held-out)|). (a) at every NFE \
    GITS's L2 ≤ both baselines'; (b) at every NFE GITS's MMD ≤ the better baseline's + F; (c) GITS's largest relative L2 \
    gain over the better baseline is at an NFE ≤ 6; (d) regularity: the warm-up samples' one-step teacher costs \
    c_b[n][n+1] have a coefficient of variation across samples ≤ 0.5 on average over the steps. Holds if (a)–(d); does not \
    hold if neither (a) nor (b); partly holds otherwise.
    """

    static let budgets = [4, 5, 6, 8, 10]
    static let coefficient = 1.15
    static let teacherTimestamps = 61

    let warmupOverride: Int?
    let evaluationOverride: Int?
    let digitsLimit: Int?
    let components: Int

    public init() { self.init(warmup: nil, evaluation: nil, digitsLimit: nil, components: 20) }

    /// Smaller runs for tests.
    init(warmup: Int?, evaluation: Int?, digitsLimit: Int?, components: Int) {
        self.warmupOverride = warmup
        self.evaluationOverride = evaluation
        self.digitsLimit = digitsLimit
        self.components = components
    }

    enum Grid: String, CaseIterable {
        case rho7 = "ρ = 7"
        case logUniform = "log-uniform"
        case gits = "GITS"
        /// The prefix of its entries in `numbers`.
        var key: String {
            switch self {
            case .rho7: return "rho7"
            case .logUniform: return "loguniform"
            case .gits: return "gits"
            }
        }
    }

    /// One schedule at one budget.
    struct Run {
        let grid: Grid
        let nfe: Int
        let sigmas: [Double]
        let teacherDistance: Double
        let mmd: Double
    }

    /// The warm-up teacher's per-sample one-step Euler costs c_b[n][n+1] (GITS's metric l2 on the
    /// diagonal of its cost matrix): the "boomerang" profile.
    struct CostProfile {
        /// σ at the start of each one-step jump.
        let sigmas: [Double]
        /// [step][sample].
        let costs: [[Double]]
        var mean: [Double] { costs.map(ChenSetup.mean) }
        var coefficientOfVariation: [Double] {
            costs.map { c in
                let m = ChenSetup.mean(c)
                let v = c.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(c.count - 1, 1))
                return m > 0 ? v.squareRoot() / m : 0
            }
        }
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let warmup = warmupOverride ?? (context.quick ? 128 : 256)
        let evaluation = evaluationOverride ?? (context.quick ? 200 : 500)
        let split = try ChenProxy.digitsSplit(limit: digitsLimit, seed: context.seed)
        let model = try ChenProxy.digitsMixture(train: split.train, components: components, seed: context.seed)
        let teacherSigmas = try ChenSetup.karras(steps: Self.teacherTimestamps)
        let teacher = SamplerName.multistep(.ipndm)
        var noise = NoNoise<Double>()
        let warmupRecord = try teacher.record(model, from: ChenSetup.start(count: warmup, dimension: 64, seed: context.seed &+ 30),
                                              sigmas: teacherSigmas, noise: &noise)
        let profile = try Self.costProfile(warmupRecord)
        context.progress(1, Self.budgets.count + 1)

        let start = ChenSetup.start(count: evaluation, dimension: 64, seed: context.seed &+ 31)
        let target = try teacher.sample(SamplingModel(model), from: start, sigmas: teacherSigmas, noise: &noise)
        let training = split.train.rows(0..<min(evaluation, split.train.rows))
        let kernels = try RBFKernelFamily.medianHeuristic(split.heldOut, training)
        let floor = abs(try ChenProxy.mmd(training, split.heldOut, kernels: kernels))
        let teacherMMD = try ChenProxy.mmd(target, split.heldOut, kernels: kernels)
        var runs = [Run]()
        for (b, nfe) in Self.budgets.enumerated() {
            for grid in Grid.allCases {
                let sigmas: [Double]
                switch grid {
                case .rho7: sigmas = try ChenSetup.karras(steps: nfe)
                case .logUniform:
                    sigmas = try Schedule<Double>.exponential(steps: nfe, sigmaMin: ChenSetup.sigmaMin, sigmaMax: ChenSetup.sigmaMax).sigmas
                case .gits: sigmas = try GITSSchedule(teacher: warmupRecord, steps: nfe - 1, coefficient: Self.coefficient).sigmas
                }
                let x = try teacher.sample(SamplingModel(model), from: start, sigmas: sigmas, noise: &noise)
                runs.append(Run(grid: grid, nfe: nfe, sigmas: sigmas, teacherDistance: ChenSetup.mean(ChenProxy.rowDistances(x, target)),
                                mmd: try ChenProxy.mmd(x, split.heldOut, kernels: kernels)))
            }
            context.progress(b + 2, Self.budgets.count + 1)
        }

        func lookup(_ grid: Grid, _ nfe: Int) -> Run? { runs.first { $0.grid == grid && $0.nfe == nfe } }
        var numbers = ["teacher_mmd": teacherMMD, "noise_floor_mmd": floor,
                       "mean_cost_cv": ChenSetup.mean(profile.coefficientOfVariation)]
        for r in runs {
            numbers["\(r.grid.key).nfe\(r.nfe).l2_to_teacher"] = r.teacherDistance
            numbers["\(r.grid.key).nfe\(r.nfe).mmd"] = r.mmd
        }
        var gains = [(nfe: Int, gain: Double)]()
        var l2Wins = true, mmdWins = true
        for nfe in Self.budgets {
            guard let g = lookup(.gits, nfe), let a = lookup(.rho7, nfe), let l = lookup(.logUniform, nfe) else { continue }
            let bestL2 = min(a.teacherDistance, l.teacherDistance)
            l2Wins = l2Wins && g.teacherDistance <= bestL2
            mmdWins = mmdWins && g.mmd <= min(a.mmd, l.mmd) + floor
            let gain = 1 - g.teacherDistance / bestL2
            gains.append((nfe, gain))
            numbers["gits.nfe\(nfe).relative_l2_gain"] = gain
        }
        let largest = gains.max { $0.gain < $1.gain }
        let gainEarly = (largest?.nfe ?? .max) <= 6
        let regular = ChenSetup.mean(profile.coefficientOfVariation) <= 0.5
        let verdict: Verdict = l2Wins && mmdWins && gainEarly && regular ? .holds : (l2Wins || mmdWins ? .partlyHolds : .doesNotHold)
        let key = "GITS L2 gain over the better baseline: " + gains.map { "NFE \($0.nfe) \(ChenSetup.format($0.gain * 100, 2)) %" }.joined(separator: ", ")
        let reading = """
        Mean L2 to the teacher endpoint (\(Grid.allCases.map(\.rawValue).joined(separator: " / "))): \(Self.budgets.map { nfe in
            "NFE \(nfe): " + Grid.allCases.map { ChenSetup.format(lookup($0, nfe)?.teacherDistance ?? .nan) }.joined(separator: " / ")
        }.joined(separator: "; ")). MMD² to held-out digits: \(Self.budgets.map { nfe in
            "NFE \(nfe): " + Grid.allCases.map { ChenSetup.format(lookup($0, nfe)?.mmd ?? .nan) }.joined(separator: " / ")
        }.joined(separator: "; ")) (teacher \(ChenSetup.format(teacherMMD)), floor \(ChenSetup.format(floor))). \
        (a) L2 \(l2Wins ? "met" : "not met"), (b) MMD \(mmdWins ? "met" : "not met"), (c) largest gain at NFE \
        \(largest.map { String($0.nfe) } ?? "none") (\(gainEarly ? "≤ 6" : "> 6")), (d) mean coefficient of variation of the \
        one-step costs across warm-up samples \(ChenSetup.format(ChenSetup.mean(profile.coefficientOfVariation))) \
        (\(regular ? "≤" : ">") 0.5). The GITS schedule at NFE 6 is \(lookup(.gits, 6).map { $0.sigmas.map { ChenSetup.format($0) }.joined(separator: ", ") } ?? "none"); \
        the DP puts its steps around the peak of the one-step cost profile (the bend of the trajectories) and crosses the \
        nearly straight large-σ part in one step.
        """
        return result(verdict: verdict, numbers: numbers, keyNumber: key, reading: reading,
                      figures: [metricFigure(runs, l2: true), metricFigure(runs, l2: false), profileFigure(profile)],
                      config: ["model": "GMM-\(components) fitted to the training digits", "teacher": "ipndm, \(Self.teacherTimestamps) karras timestamps",
                               "warmup": String(warmup), "evaluation_samples": String(evaluation), "coeff": String(Self.coefficient),
                               "metric": "l2", "budgets": Self.budgets.map(String.init).joined(separator: ",")])
    }

    /// c_b[n][n+1] = ‖x_n + (t_{n+1} − t_n) d_n − x_{n+1}‖ per warm-up sample b, over the record's
    /// states at σ > 0 (its batch mean is the diagonal of `GITS.costMatrix`).
    static func costProfile(_ teacher: TrajectoryRecord<Double>) throws -> CostProfile {
        let kept = teacher.sigmas.indices.filter { teacher.sigmas[$0] > 0 }
        guard kept.count >= 2 else { throw ExperimentError.failed(id: "C6", reason: "the teacher has fewer than 2 states at σ > 0") }
        var sigmas = [Double](), costs = [[Double]]()
        for (i, j) in zip(kept, kept.dropFirst()) {
            let (t, s) = (teacher.sigmas[i], teacher.sigmas[j])
            let slope = teacher.x[i].linearCombination(1 / t, -1 / t, teacher.denoised[i])
            var jumped = teacher.x[i]
            jumped.axpy(s - t, slope)
            sigmas.append(t)
            costs.append(ChenProxy.rowDistances(jumped, teacher.x[j]))
        }
        return CostProfile(sigmas: sigmas, costs: costs)
    }

    private func metricFigure(_ runs: [Run], l2: Bool) -> Figure {
        .plot(PlotSpec(
            title: l2 ? "C6: distance to the 60-step teacher endpoint" : "C6: sample quality against held-out digits",
            xLabel: "NFE", yLabel: l2 ? "mean ‖x − x_teacher‖ (log scale)" : "MMD² to held-out digits (log scale; ≤ 0 not drawn)",
            yScale: .log,
            series: Grid.allCases.map { grid in
                let r = runs.filter { $0.grid == grid }
                return .init(label: grid.rawValue, x: r.map { Double($0.nfe) }, y: r.map { l2 ? $0.teacherDistance : $0.mmd }, style: .linePoints)
            }))
    }

    /// The boomerang: the mean one-step cost and a band (10th–90th percentile across samples).
    private func profileFigure(_ profile: CostProfile) -> Figure {
        .plot(PlotSpec(
            title: "C6: per-step teacher cost c[n][n+1] across warm-up samples", xLabel: "σ_n (log scale)",
            yLabel: "‖Euler step − teacher step‖ (log scale)", xScale: .log, yScale: .log,
            series: [
                .init(label: "mean", x: profile.sigmas, y: profile.mean, style: .linePoints),
                .init(label: "10th percentile", x: profile.sigmas, y: profile.costs.map { ChenProxy.quantile($0, 0.1) }),
                .init(label: "90th percentile", x: profile.sigmas, y: profile.costs.map { ChenProxy.quantile($0, 0.9) }),
            ]))
    }
}
