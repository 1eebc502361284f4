import Foundation
import ScoreKitMetrics

/// W4 (papers.md §4.2, §4.4): analytical teleportation on the trained digits model. The first
/// n_skip steps of EDM's Heun sampler (18 steps, ρ = 7) are replaced by the closed-form Gaussian
/// flow (`Teleportation`) and the rest of the same grid is run; quality should stay flat up to
/// n_skip ≈ 4–6 (15–30 % of the NFE) and degrade beyond, with the knee where the Gaussian stops
/// explaining the network (W2's σ_0.99). Teleporting also helps a fast solver (DPM-Solver++(2M)).
public struct W4Teleportation: Experiment {
    public let id = "W4"
    public let paper = Paper.wangVastola
    public let claim = "Replacing the first 15–30 % of the sampling steps by the Gaussian closed form keeps sample quality, and it speeds up fast solvers too."
    public let criterion = """
    Trained digits MLP; Heun, 18 Karras steps (ρ = 7, σ 80 → 0.002; also σ_max = 20), teleport to the n-th grid σ for \
    n = 0…12. Quality: MMD² (RBF, bandwidths fixed by the median heuristic at n = 0) to the held-out digits. \
    Flat at n if MMD²_m ≤ MMD²_0 + δ for all m ≤ n, δ = max(0.1·MMD²_0, 2·|MMD²(training digits, held-out)|) (the \
    resolution of the test); the knee n* is the largest flat n. With σ_max = 80: (a) n* ≥ 4 and n* < 12 (flat to ≥ 22 % \
    of the NFE, degrading beyond); (b) the knee σ is within a factor 3 of σ_0.99 (W2's Gaussian EV crossover); (c) \
    teleporting to σ_0.99 (to the knee σ if the Gaussian never reaches 0.99) and running DPM-Solver++(2M) there gives a \
    smaller mean L2 (by > 0.1 %) to the 35-NFE Heun samples than plain DPM-Solver++(2M) from σ = 80 at ≥ 2 of NFE ∈ {6, 8, 10}. Holds if (a)–(c); does not hold if n* < 4 and (c) fails; \
    partly holds otherwise.
    """

    let model: TrainedDigitsModel.Configuration?
    let sampleCount: Int?

    public init() { self.init(model: nil, sampleCount: nil) }

    /// Smaller runs for tests.
    init(model: TrainedDigitsModel.Configuration?, sampleCount: Int?) {
        self.model = model
        self.sampleCount = sampleCount
    }

    static let skips = Array(0...12)
    static let fastBudgets = [6, 8, 10]

    /// The teleport sweep of one σ_max.
    struct Sweep {
        let sigmaMax: Double
        let sigmas: [Double]
        let finals: [Matrix<Double>]
        let meanL2: [Double]
        let mmd: [Double]
        let nfe: [Int]
        let threshold: Double
        let knee: Int
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let trained = try TrainedDigitsModel.load(model ?? .standard(quick: context.quick, seed: context.seed),
                                                  cacheFolder: context.cacheFolder, progress: context.progress)
        let network = try trained.denoiser()
        let gaussian = try trained.gaussian()
        let count = sampleCount ?? (context.quick ? 256 : 1000)
        let z = CounterNormalRNG(seed: context.seed).normals(rows: count, columns: 64, draw: 0, as: Double.self)
        let trainSubset = trained.train.rows(0..<min(count, trained.train.rows))

        let sweeps = try [80.0, 20.0].map { try sweep(sigmaMax: $0, z: z, network: network, gaussian: gaussian,
                                                      heldOut: trained.heldOut, trainSubset: trainSubset) }
        let main = sweeps[0]
        let points = try NoisedData(data: trained.train, count: context.quick ? 256 : 1024, seed: context.seed &+ 1)
        let crossover = try TeleportationSigma(reference: network, candidate: gaussian, points: points,
                                               grid: DigitsExplainedVariance.sigmas, threshold: 0.99)
        let fastSkip = crossover.sigma ?? main.sigmas[main.knee]

        // Teleport + fast solver at small NFE budgets, against the 35-NFE Heun samples.
        var noise = NoNoise<Double>()
        let fast = SamplerName.kdiffusion(.dpmpp2M)
        let xT = z * main.sigmaMax
        var plainL2 = [Double](), teleportL2 = [Double](), plainMMD = [Double](), teleportMMD = [Double]()
        let kernels = try RBFKernelFamily.medianHeuristic(main.finals[0], trained.heldOut)
        for budget in Self.fastBudgets {
            let full = try Schedule<Double>.karras(steps: budget, sigmaMin: 0.002, sigmaMax: main.sigmaMax).sigmas
            let plain = try fast.sample(SamplingModel(network), from: xT, sigmas: full, noise: &noise)
            let start = try gaussian.flow(xT, from: main.sigmaMax, to: fastSkip)
            let short = try Schedule<Double>.karras(steps: budget, sigmaMin: 0.002, sigmaMax: fastSkip).sigmas
            let teleported = try fast.sample(SamplingModel(network), from: start, sigmas: short, noise: &noise)
            plainL2.append(Self.meanDistance(plain, main.finals[0]))
            teleportL2.append(Self.meanDistance(teleported, main.finals[0]))
            plainMMD.append(try Metrics.maximumMeanDiscrepancy(plain, trained.heldOut, kernels: kernels).value)
            teleportMMD.append(try Metrics.maximumMeanDiscrepancy(teleported, trained.heldOut, kernels: kernels).value)
        }
        let fastWins = zip(teleportL2, plainL2).filter { $0 < 0.999 * $1 }.count

        let kneeSigma = main.sigmas[main.knee]
        let flatEnough = main.knee >= 4 && main.knee < Self.skips.count - 1
        let kneeMatchesEV = crossover.sigma.map { kneeSigma / $0 <= 3 && $0 / kneeSigma <= 3 } ?? false
        let fastHelps = fastWins >= 2
        let verdict: Verdict = flatEnough && kneeMatchesEV && fastHelps ? .holds
            : (main.knee < 4 && !fastHelps ? .doesNotHold : .partlyHolds)

        let baseNFE = Double(main.nfe[0])
        var numbers: [String: Double] = [
            "knee_n_skip": Double(main.knee), "knee_sigma": kneeSigma, "knee_nfe_saved_share": Double(main.nfe[0] - main.nfe[main.knee]) / baseNFE,
            "sigma_0.99_gaussian": crossover.sigma ?? .nan, "mmd_threshold": main.threshold,
            "knee_n_skip_sigma_max_20": Double(sweeps[1].knee), "knee_sigma_sigma_max_20": sweeps[1].sigmas[sweeps[1].knee],
            "fast_solver_wins": Double(fastWins), "fast_solver_sigma_skip": fastSkip,
        ]
        for s in sweeps {
            let tag = "sigma_max_\(Int(s.sigmaMax))"
            for n in Self.skips {
                numbers["\(tag).n_skip_\(n).mmd"] = s.mmd[n]
                numbers["\(tag).n_skip_\(n).mean_l2"] = s.meanL2[n]
                numbers["\(tag).n_skip_\(n).nfe"] = Double(s.nfe[n])
            }
        }
        for (k, budget) in Self.fastBudgets.enumerated() {
            numbers["dpmpp_2m_nfe_\(budget).plain_l2"] = plainL2[k]
            numbers["dpmpp_2m_nfe_\(budget).teleport_l2"] = teleportL2[k]
            numbers["dpmpp_2m_nfe_\(budget).plain_mmd"] = plainMMD[k]
            numbers["dpmpp_2m_nfe_\(budget).teleport_mmd"] = teleportMMD[k]
        }
        let f = ExactMath.format
        let reading = """
        σ_max = 80: MMD² to held-out digits by n_skip \(main.mmd.map(f).joined(separator: ", ")) (threshold \(f(main.threshold))); \
        mean L2 to the untouched samples \(main.meanL2.map(f).joined(separator: ", ")). Quality stays flat up to n* = \(main.knee) \
        (σ_skip = \(f(kneeSigma)), \(f(100 * numbers["knee_nfe_saved_share", default: 0]))% of the \(main.nfe[0]) NFE saved); \
        \(crossover.sigma.map { "the Gaussian explains ≥ 99 % of the network down to σ_0.99 = \(f($0))" } ?? "the Gaussian's pooled EV is below 0.99 at every σ ≤ 20, so there is no σ_0.99 to compare the knee with"). \
        σ_max = 20: knee n* = \(sweeps[1].knee) (σ_skip = \(f(sweeps[1].sigmas[sweeps[1].knee]))). \
        DPM-Solver++(2M) at NFE \(Self.fastBudgets.map(String.init).joined(separator: "/")): mean L2 to the Heun-35 samples \
        \(plainL2.map(f).joined(separator: "/")) from σ = 80 vs \(teleportL2.map(f).joined(separator: "/")) after teleporting to σ = \(f(fastSkip)) \
        (MMD² \(plainMMD.map(f).joined(separator: "/")) vs \(teleportMMD.map(f).joined(separator: "/"))). \
        Criteria: (a) \(flatEnough ? "met" : "not met"), (b) \(kneeMatchesEV ? "met" : "not met"), (c) \(fastHelps ? "met" : "not met").
        """
        let quality = PlotSpec(
            title: "W4: sample quality after teleporting the first n_skip Heun steps", xLabel: "n_skip (Heun steps replaced, of 18)",
            yLabel: "MMD² to held-out digits",
            series: sweeps.map { .init(label: "σ_max = \(Int($0.sigmaMax))", x: Self.skips.map(Double.init), y: $0.mmd, style: .linePoints) },
            markers: [.init(axis: .x, value: Double(main.knee), label: "knee (σ_max 80): σ_skip \(f(kneeSigma))"),
                      .init(axis: .y, value: main.mmd[0] + main.threshold, label: "flat threshold")])
        let agreement = PlotSpec(
            title: "W4: distance to the samples of the same x_T without teleportation", xLabel: "n_skip",
            yLabel: "mean L2 distance",
            series: sweeps.map { .init(label: "σ_max = \(Int($0.sigmaMax))", x: Self.skips.map(Double.init), y: $0.meanL2, style: .linePoints) },
            markers: [.init(axis: .x, value: Double(main.knee), label: "knee")])
        let budgets = Self.fastBudgets.map(Double.init)
        let fastPlot = PlotSpec(
            title: "W4: teleport + DPM-Solver++(2M) vs DPM-Solver++(2M) alone", xLabel: "NFE",
            yLabel: "mean L2 to Heun (35 NFE) samples",
            series: [.init(label: "DPM-Solver++(2M) from σ = 80", x: budgets, y: plainL2, style: .linePoints),
                     .init(label: "teleport to σ = \(f(fastSkip)) + DPM-Solver++(2M)", x: budgets, y: teleportL2, style: .linePoints)])
        let shownSkips = [0, 2, 4, 6, 8, 10, 12]
        let grid = ImageGridSpec(title: "Same 10 x_T (columns), n_skip = \(shownSkips.map(String.init).joined(separator: ", ")) (rows), σ_max = 80",
                                 height: 8, width: 8, columns: 10,
                                 images: shownSkips.flatMap { n in (0..<min(10, count)).map { Array(main.finals[n].row($0)) } })
        return result(verdict: verdict, numbers: numbers, keyNumber: "knee_n_skip", reading: reading,
                      figures: [.plot(quality), .plot(agreement), .plot(fastPlot), .imageGrid(grid)],
                      config: ["model": "\(trained.configuration)", "samples": "\(count)", "sampler": "heun, 18 steps, rho 7",
                               "fast_solver": "dpmpp_2m", "seed": "\(context.seed)"])
    }

    /// Heun on the 18-step grid from σ_max after teleporting to its n-th σ, for every n.
    func sweep<D: Denoiser>(sigmaMax: Double, z: Matrix<Double>, network: D, gaussian: GaussianDenoiser<Double>,
                            heldOut: Matrix<Double>, trainSubset: Matrix<Double>) throws -> Sweep where D.Scalar == Double {
        let sigmas = try Schedule<Double>.karras(steps: 18, sigmaMin: 0.002, sigmaMax: sigmaMax).sigmas
        let xT = z * sigmaMax
        var noise = NoNoise<Double>()
        var finals = [Matrix<Double>](), nfe = [Int]()
        for n in Self.skips {
            let teleport = try Teleportation(gaussian: gaussian, sigmaSkip: sigmas[n])
            let (start, rest, _) = try teleport.apply(xT, sigmas: sigmas)
            let model = SamplingModel(network)
            finals.append(try SamplerName.kdiffusion(.heun).sample(model, from: start, sigmas: rest, noise: &noise))
            nfe.append(model.nfe)
        }
        let kernels = try RBFKernelFamily.medianHeuristic(finals[0], heldOut)
        let mmd = try finals.map { try Metrics.maximumMeanDiscrepancy($0, heldOut, kernels: kernels).value }
        let floor = try Metrics.maximumMeanDiscrepancy(trainSubset, heldOut, kernels: kernels).value
        let threshold = Swift.max(0.1 * mmd[0], 2 * Swift.abs(floor))
        let knee = (Self.skips.firstIndex { mmd[$0] > mmd[0] + threshold } ?? Self.skips.count) - 1
        return Sweep(sigmaMax: sigmaMax, sigmas: sigmas, finals: finals, meanL2: finals.map { Self.meanDistance($0, finals[0]) },
                     mmd: mmd, nfe: nfe, threshold: threshold, knee: knee)
    }

    /// The mean over rows of ‖a_r − b_r‖.
    static func meanDistance(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
        ChenSetup.mean((a - b).rowSquaredNorms().map { $0.squareRoot() })
    }
}
