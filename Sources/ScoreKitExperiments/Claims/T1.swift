import Foundation

/// T1 (papers.md §3.4, Wang, He & Tao): training dynamics under the noise distribution × loss
/// weighting grid. The paper's training theorem prefers a bell-shaped *total* weighting over noise
/// levels (density × weight in ε units), which EDM's log-normal σ with λ(σ) has and Song's
/// log-uniform σ with flat ε-weight does not [V blog summary; the constants are not known].
///
/// On the 2-D 8-Gaussian ring the exact score is known, so the *excess* loss
/// E‖σ S_θ(x, σ) − σ ∇log p_σ(x)‖²/d = E‖D_θ(x; σ) − D*(x; σ)‖²/(σ² d) (the DSM loss minus its
/// minimum, in ε units) is measured per σ bin on fresh data along the run (raw Adam iterates).
public struct T1TrainingDynamics: Experiment {
    public let id = "T1"
    public let paper = Paper.wangHeTao
    public let claim = "EDM's bell-shaped total weighting (log-normal σ, λ(σ)) trains the score faster at moderate σ and gives better samples at a fixed budget than Song's log-uniform σ with flat ε-weighting."
    public let criterion = "2-D ring, 20,000 training points, ReLU MLP (x, ln σ) → ε, Adam 1e-3 constant, raw weights. Aggregate error A(t) = geometric mean over seeds of the mean excess loss (ε units, exact GMM score) over the σ bins with centres in [0.1, 10]. (i) A_EDM(t) < A_Song(t) at a majority of the evaluated iterations t; (ii) at the last iteration the energy distance of Heun samples (18 steps, ρ = 7, 80 → 0.002) to fresh data, averaged over seeds, is smaller for EDM than for Song. Holds if both pass, partly holds if one passes, does not hold if none."

    let trainingSteps: Int?
    let seedCount: Int?
    let evaluationCount: Int?
    let sampleCount: Int
    let width: Int?

    public init() { self.init(trainingSteps: nil, seedCount: nil, evaluationCount: nil, sampleCount: 2000, width: nil) }

    /// Other sizes (tests); nil = the plan's for `context.quick`.
    init(trainingSteps: Int?, seedCount: Int?, evaluationCount: Int?, sampleCount: Int, width: Int?) {
        self.trainingSteps = trainingSteps
        self.seedCount = seedCount
        self.evaluationCount = evaluationCount
        self.sampleCount = sampleCount
        self.width = width
    }

    /// One cell of the design grid.
    struct Design {
        let label: String
        let key: String
        let noise: NoiseDistribution
        let weighting: LossWeighting
    }

    static let designs = [
        Design(label: "log-uniform σ, flat ε-weight (Song)", key: "song", noise: .logUniform(minimum: 0.002, maximum: 80), weighting: .inverseVariance),
        Design(label: "log-uniform σ, EDM λ", key: "loguniform_edm", noise: .logUniform(minimum: 0.002, maximum: 80), weighting: .edm(sigmaData: 0.5)),
        Design(label: "log-normal σ, flat ε-weight", key: "lognormal_flat", noise: .edm, weighting: .inverseVariance),
        Design(label: "log-normal σ, EDM λ (EDM)", key: "edm", noise: .edm, weighting: .edm(sigmaData: 0.5)),
    ]

    /// 8 log-spaced σ bins over [0.002, 80]; the excess loss is measured at each bin's geometric centre.
    static var binCentres: [Double] {
        let e = (0...8).map { k in 0.002 * Foundation.pow(80 / 0.002, Double(k) / 8) }
        return (0..<8).map { (e[$0] * e[$0 + 1]).squareRoot() }
    }
    static let moderate = 0.1 ... 10.0

    /// The evaluation iterations: roughly log-spaced, always containing T2's early checkpoints and the end.
    static func iterations(total: Int) -> [Int] {
        ([50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000].filter { $0 < total } + [total])
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let total = trainingSteps ?? WangHeTaoToy.steps(quick: context.quick)
        let width = self.width ?? WangHeTaoToy.width(quick: context.quick)
        let batch = WangHeTaoToy.batchSize
        let seeds = (0..<(seedCount ?? (context.quick ? 1 : 3))).map { context.seed &+ UInt64($0) }
        let m = evaluationCount ?? (context.quick ? 1000 : 4000)
        let ring = try IsotropicMixture<Double>.ring()
        let exact = try WangHeTaoToy.exactDenoiser(ring)
        let iterations = Self.iterations(total: total)
        let centres = Self.binCentres
        let clean = ring.sample(count: m, seed: context.seed &+ 11).points
        let z = CounterNormalRNG(seed: context.seed &+ 12).normals(rows: m, columns: 2, draw: 0, as: Double.self)
        let noised = centres.map { clean + z * $0 }
        let targets = try zip(centres, noised).map { try exact.denoise($1, sigma: $0) }
        let reference = ring.sample(count: sampleCount, seed: context.seed &+ 13).points
        let heun = try Schedule<Double>.karras(steps: 18, sigmaMin: 0.002, sigmaMax: 80).sigmas
        let start = CounterNormalRNG(seed: context.seed &+ 14).normals(rows: sampleCount, columns: 2, draw: 0, as: Double.self) * heun[0]

        /// excess[design][seed][iteration][bin] and the final energy distance per design and seed.
        var excess = [[[[Double]]]]()
        var energy = [[Double]]()
        for (k, design) in Self.designs.enumerated() {
            var perSeed = [[[Double]]](), energies = [Double]()
            for (s, seed) in seeds.enumerated() {
                context.progress(k * seeds.count + s, Self.designs.count * seeds.count)
                let run = try WangHeTaoToy.run(noise: design.noise, weighting: design.weighting, steps: total, width: width,
                                               batchSize: batch, seed: seed, cacheFolder: context.cacheFolder)
                let networks = try run.denoisers(at: iterations, weights: .raw)
                perSeed.append(try iterations.map { t in
                    guard let net = networks[t] else { throw ExperimentError.failed(id: id, reason: "no checkpoint at \(t)") }
                    return try centres.indices.map { b in
                        try Self.excessLoss(net, noised: noised[b], target: targets[b], sigma: centres[b])
                    }
                })
                guard let final = networks[total] else { throw ExperimentError.failed(id: id, reason: "no final checkpoint") }
                var none = NoNoise<Double>()
                let samples = try SamplerName.kdiffusion(.heun).sample(SamplingModel(final), from: start, sigmas: heun, noise: &none)
                energies.append(try Metrics.energyDistance(samples, reference))
            }
            excess.append(perSeed)
            energy.append(energies)
        }
        context.progress(1, 1)

        let moderateBins = centres.indices.filter { Self.moderate.contains(centres[$0]) }
        /// Geometric mean over seeds of the moderate-σ mean excess, per design and iteration.
        func moderateMean(_ bins: [Double]) -> Double {
            moderateBins.map { bins[$0] }.reduce(0, +) / Double(moderateBins.count)
        }
        let aggregate: [[Double]] = excess.map { perSeed in
            iterations.indices.map { t in
                let logs = perSeed.map { Foundation.log(moderateMean($0[t])) }
                return Foundation.exp(logs.reduce(0, +) / Double(logs.count))
            }
        }
        /// The last iteration's excess per design and bin, averaged over seeds.
        let finalPerBin = excess.map { perSeed in
            centres.indices.map { b in perSeed.map { $0[iterations.count - 1][b] }.reduce(0, +) / Double(perSeed.count) }
        }
        let meanEnergy = energy.map { $0.reduce(0, +) / Double($0.count) }
        guard let song = Self.designs.firstIndex(where: { $0.key == "song" }),
              let edm = Self.designs.firstIndex(where: { $0.key == "edm" }) else {
            throw ExperimentError.failed(id: id, reason: "design grid lacks Song or EDM")
        }
        let edmAhead = iterations.indices.filter { aggregate[edm][$0] < aggregate[song][$0] }.count
        let passes = [2 * edmAhead > iterations.count, meanEnergy[edm] < meanEnergy[song]]
        let passed = passes.filter { $0 }.count
        let verdict: Verdict = passed == passes.count ? .holds : (passed > 0 ? .partlyHolds : .doesNotHold)

        var numbers: [String: Double] = ["edm_ahead_fraction": Double(edmAhead) / Double(iterations.count)]
        for (k, design) in Self.designs.enumerated() {
            numbers["\(design.key)_final_energy_distance"] = meanEnergy[k]
            numbers["\(design.key)_final_moderate_excess"] = aggregate[k].last ?? .nan
            // Fitted exponential rate: slope of ln A(t) against t (per 1000 steps).
            if iterations.count >= 2 {
                numbers["\(design.key)_log_excess_slope_per_1000_steps"] = 1000 * Self.slope(iterations.map(Double.init), aggregate[k].map { Foundation.log($0) })
            }
            for (b, c) in centres.enumerated() {
                numbers["\(design.key)_final_excess_sigma_\(ExactMath.format(c))"] = finalPerBin[k][b]
            }
        }
        numbers["final_energy_ratio_edm_to_song"] = meanEnergy[edm] / meanEnergy[song]

        let x = iterations.map(Double.init)
        var figures: [Figure] = [.plot(PlotSpec(
            title: "Aggregate excess loss at moderate σ ∈ [0.1, 10] (geometric mean over \(seeds.count) seed(s))",
            xLabel: "iteration", yLabel: "excess loss (ε units)", xScale: .log, yScale: .log,
            series: Self.designs.indices.map { .init(label: Self.designs[$0].label, x: x, y: aggregate[$0], style: .linePoints) }))]
        for (k, design) in Self.designs.enumerated() {
            figures.append(.plot(PlotSpec(
                title: "Excess loss per σ bin: \(design.label)", xLabel: "iteration", yLabel: "excess loss (ε units)",
                xScale: .log, yScale: .log,
                series: centres.indices.map { b in
                    .init(label: "σ ≈ \(ExactMath.format(centres[b]))", x: x,
                          y: iterations.indices.map { t in excess[k].map { $0[t][b] }.reduce(0, +) / Double(seeds.count) },
                          style: .linePoints)
                })))
        }
        let finalExcess: [String] = Self.designs.indices.map { "\(Self.designs[$0].label) \(ExactMath.format(aggregate[$0].last ?? .nan))" }
        let finalEnergy: [String] = Self.designs.indices.map { "\(Self.designs[$0].key) \(ExactMath.format(meanEnergy[$0]))" }
        func perBin(_ k: Int) -> String { finalPerBin[k].map(ExactMath.format).joined(separator: ", ") }
        let reading = "Moderate-σ excess loss after \(total) steps: \(finalExcess.joined(separator: ", ")). EDM is below Song at \(edmAhead) of \(iterations.count) evaluated iterations. Final energy distance (Heun 18): \(finalEnergy.joined(separator: ", ")). Final excess per σ bin (σ ≈ \(centres.map(ExactMath.format).joined(separator: ", "))): Song \(perBin(song)), EDM \(perBin(edm))."
        return result(verdict: verdict, numbers: numbers, keyNumber: "final_energy_ratio_edm_to_song", reading: reading, figures: figures,
                      config: ["data": "ring8, \(WangHeTaoToy.trainingCount) training points", "network": "ReLU residual MLP width \(width), ε-prediction, batch \(batch)",
                               "steps": "\(total)", "seeds": seeds.map(String.init).joined(separator: ","), "evaluation points per bin": "\(m)",
                               "iterations": iterations.map(String.init).joined(separator: ","), "sampler": "heun 18, ρ = 7"])
    }

    /// E‖D(x; σ) − D*(x; σ)‖²/(σ² d) over the rows of `noised`, with `target` = D*(noised; σ):
    /// the excess DSM loss in ε units (the DSM loss minus its minimum, papers.md §3.4 T1).
    static func excessLoss<D: Denoiser>(_ denoiser: D, noised: Matrix<Double>, target: Matrix<Double>, sigma: Double) throws -> Double
        where D.Scalar == Double {
        let d = try denoiser.denoise(noised, sigma: sigma)
        return (d - target).rowSquaredNorms().reduce(0, +) / (Double(noised.rows * noised.columns) * sigma * sigma)
    }

    /// The least-squares slope of y against x.
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        let sxx = x.reduce(0.0) { $0 + ($1 - mx) * ($1 - mx) }
        return sxx > 0 ? zip(x, y).reduce(0.0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx : .nan
    }
}
