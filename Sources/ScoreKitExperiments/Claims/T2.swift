import Foundation

/// T2 (papers.md §3.4, Wang, He & Tao): the schedule crossover. "When the score is well trained,
/// the design in Song et al. [geometric σ] is more preferable; when it is less trained, Karras et
/// al. [polynomial ρ] becomes more preferable" (abstract, [V]).
///
/// On the 2-D 8-Gaussian ring the exact score is known, so the score quality can be set: (a) the
/// exact GMM score; (b) the T1 network (EDM recipe) at early checkpoints and at the end of training;
/// (c) the exact denoiser blended with the moment-matched Gaussian's, D = (1 − α) D_GMM + α D_N,
/// a smooth bias of relative size α. Each is sampled with the reverse-SDE Euler–Maruyama (the
/// paper's setting) and the PF-ODE (Euler) on σ ∈ [0.002, 80] with the geometric grid and Karras'
/// polynomial grids ρ ∈ {3, 7}; the error is the histogram KL of the samples against the exact density.
public struct T2ScheduleCrossover: Experiment {
    public let id = "T2"
    public let paper = Paper.wangHeTao
    public let claim = "With a well-trained score the geometric (Song) σ grid samples better; with a poorly trained one the polynomial (Karras) grid does."
    public let criterion = "Reverse-SDE Euler–Maruyama on σ ∈ [0.002, 80], error = KL(sample histogram ‖ exact ring density) on a 200×200 grid over [−3, 3]² (plus one outside cell). \"Geometric wins\" for a score if its KL is below both polynomial grids' (ρ = 3, 7) at the smallest N and at a majority of the tested N; \"polynomial wins\" if the better polynomial grid's KL is below the geometric one's at a majority of N. Checks: (a) geometric wins with the exact score; (b1) polynomial wins with the network after 200 training steps; (b2) polynomial wins with the exact score blended with the Gaussian fit at α = 0.2. Holds if all three pass, partly holds if one or two pass, does not hold if none."

    let stepCounts: [Int]?
    let sampleCount: Int?
    let trainingSteps: Int?
    let width: Int?

    public init() { self.init(stepCounts: nil, sampleCount: nil, trainingSteps: nil, width: nil) }

    /// Other sizes (tests); nil = the plan's for `context.quick`.
    init(stepCounts: [Int]?, sampleCount: Int?, trainingSteps: Int?, width: Int?) {
        self.stepCounts = stepCounts
        self.sampleCount = sampleCount
        self.trainingSteps = trainingSteps
        self.width = width
    }

    static let sigmaMax = 80.0
    static let sigmaMin = 0.002
    static let earlyCheckpoints = [200, 1000]
    static let blends = [0.05, 0.2]

    /// A σ grid under its report name.
    struct Grid {
        let label: String
        let rho: Double?
        func sigmas(steps: Int) throws -> [Double] {
            guard let rho else {
                return try Schedule<Double>.exponential(steps: steps, sigmaMin: T2ScheduleCrossover.sigmaMin,
                                                        sigmaMax: T2ScheduleCrossover.sigmaMax).sigmas
            }
            return try Schedule<Double>.karras(steps: steps, sigmaMin: T2ScheduleCrossover.sigmaMin,
                                               sigmaMax: T2ScheduleCrossover.sigmaMax, rho: rho).sigmas
        }
    }

    static let grids = [Grid(label: "geometric", rho: nil), Grid(label: "polynomial ρ=3", rho: 3), Grid(label: "polynomial ρ=7", rho: 7)]

    /// The KL curves of one score: per sampler, per grid, per N.
    struct ScoreCurves {
        let label: String
        let key: String
        /// [sampler][grid][N]
        let kl: [[[Double]]]
    }

    static let samplers: [(label: String, name: SamplerName)] = [("EM", .reference(.eulerMaruyama)), ("ODE", .kdiffusion(.euler))]

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let steps = stepCounts ?? (context.quick ? [10, 20, 50] : [10, 20, 50, 100, 200])
        let n = sampleCount ?? (context.quick ? 2000 : 20000)
        // The PF-ODE is the secondary sampler of the plan: full size only.
        let samplers = context.quick ? [Self.samplers[0]] : Self.samplers
        let total = trainingSteps ?? WangHeTaoToy.steps(quick: context.quick)
        let width = self.width ?? WangHeTaoToy.width(quick: context.quick)
        let ring = try IsotropicMixture<Double>.ring()
        let exact = try WangHeTaoToy.exactDenoiser(ring)
        let gaussian = try GaussianDenoiser<Double>.isotropic(mean: [0, 0], variance: WangHeTaoToy.ringVariance(ring))
        let histogram = try RingHistogramKL(mixture: ring, side: 200, halfWidth: 3)
        let floor = histogram.kl(ring.sample(count: n, seed: context.seed &+ 7).points)

        let run = try WangHeTaoToy.run(noise: .edm, weighting: .edm(sigmaData: 0.5), steps: total, width: width,
                                       batchSize: WangHeTaoToy.batchSize, seed: context.seed,
                                       cacheFolder: context.cacheFolder)
        let checkpoints = Self.earlyCheckpoints.filter { $0 < total } + [total]
        let networks = try run.denoisers(at: checkpoints, weights: .raw)

        let start = CounterNormalRNG(seed: context.seed).normals(rows: n, columns: 2, draw: 0, as: Double.self) * Self.sigmaMax
        func curves<D: Denoiser>(_ denoiser: D, label: String, key: String) throws -> ScoreCurves where D.Scalar == Double {
            let kl = try samplers.map { sampler in
                try Self.grids.map { grid in
                    try steps.map { steps in
                        var noise = try PerSampleNoiseSource<Double>(seed: context.seed, firstDraw: 1)
                        let x = try sampler.name.sample(SamplingModel(denoiser), from: start, sigmas: grid.sigmas(steps: steps),
                                                        noise: &noise)
                        return histogram.kl(x)
                    }
                }
            }
            return ScoreCurves(label: label, key: key, kl: kl)
        }
        var scores = [ScoreCurves]()
        let totalScores = 1 + Self.blends.count + checkpoints.count
        context.progress(0, totalScores)
        scores.append(try curves(exact, label: "exact GMM score", key: "exact"))
        for alpha in Self.blends {
            context.progress(scores.count, totalScores)
            scores.append(try curves(try BlendedDenoiser(exact, gaussian, alpha: alpha), label: "exact + Gaussian fit, α = \(alpha)",
                                     key: "blend_\(alpha)"))
        }
        for step in checkpoints {
            context.progress(scores.count, totalScores)
            guard let network = networks[step] else { continue }
            scores.append(try curves(network, label: "network after \(step) steps", key: "network_\(step)"))
        }
        context.progress(totalScores, totalScores)

        // Verdict on the Euler–Maruyama curves (sampler 0).
        func geometricWins(_ s: ScoreCurves) -> Bool {
            let c = s.kl[0]
            let wins = steps.indices.filter { c[0][$0] < min(c[1][$0], c[2][$0]) }
            return wins.contains(0) && 2 * wins.count > steps.count
        }
        func polynomialWins(_ s: ScoreCurves) -> Bool {
            let c = s.kl[0]
            return 2 * steps.indices.filter { min(c[1][$0], c[2][$0]) < c[0][$0] }.count > steps.count
        }
        let early = scores.first { $0.key == "network_\(Self.earlyCheckpoints[0])" }
        let blended = scores.first { $0.key == "blend_0.2" }
        let passes = [geometricWins(scores[0]), early.map(polynomialWins) ?? false, blended.map(polynomialWins) ?? false]
        let passed = passes.filter { $0 }.count
        let verdict: Verdict = passed == passes.count ? .holds : (passed > 0 ? .partlyHolds : .doesNotHold)

        var numbers: [String: Double] = ["histogram_floor": floor]
        for s in scores {
            for (a, sampler) in samplers.enumerated() {
                for (g, grid) in Self.grids.enumerated() {
                    for (j, steps) in steps.enumerated() {
                        numbers["kl_\(sampler.label.lowercased())_\(s.key)_\(grid.rho.map { "rho\(Int($0))" } ?? "geometric")_N\(steps)"] = s.kl[a][g][j]
                    }
                }
            }
            // Mean over N of log(KL_geometric / KL_best polynomial): < 0 means geometric is better.
            let c = s.kl[0]
            numbers["em_\(s.key)_mean_log_ratio_geometric_to_polynomial"] = steps.indices.map {
                Foundation.log(c[0][$0] / min(c[1][$0], c[2][$0]))
            }.reduce(0, +) / Double(steps.count)
        }
        let keyName = "em_exact_mean_log_ratio_geometric_to_polynomial"

        let figures: [Figure] = scores.map { s in
            let x = steps.map(Double.init)
            var series = [PlotSpec.Series]()
            for (a, sampler) in samplers.enumerated() {
                for (g, grid) in Self.grids.enumerated() {
                    series.append(.init(label: "\(sampler.label) \(grid.label)", x: x, y: s.kl[a][g], style: a == 0 ? .linePoints : .line))
                }
            }
            series.append(.init(label: "histogram floor (exact samples)", x: x, y: x.map { _ in floor }, style: .line))
            let markers = Self.crossovers(s.kl[0], steps: steps).map { PlotSpec.Marker(axis: .x, value: $0.steps, label: "EM crossover: \($0.betterAbove) better above") }
            return .plot(PlotSpec(title: "Sampling error vs N, \(s.label)", xLabel: "N (steps)", yLabel: "KL(samples ‖ exact) (nats)",
                                  xScale: .log, yScale: .log, series: series, markers: markers))
        }
        let summary = scores.map { s -> String in
            let c = s.kl[0]
            let best = steps.indices.map { j in Self.grids[[0, 1, 2].min { c[$0][j] < c[$1][j] } ?? 0].label }
            return "\(s.label): best EM grid per N \(zip(steps, best).map { "\($0)→\($1)" }.joined(separator: ", "))"
        }
        let reading = "Histogram KL floor of \(n) exact samples: \(ExactMath.format(floor)). " + summary.joined(separator: "; ")
            + ". Checks (a) geometric wins with the exact score: \(passes[0]); (b1) polynomial wins after \(Self.earlyCheckpoints[0]) steps: \(passes[1]); (b2) polynomial wins at α = 0.2: \(passes[2])."
        return result(verdict: verdict, numbers: numbers, keyNumber: keyName, reading: reading, figures: figures,
                      config: ["data": "ring8 (exact GMM)", "sigma": "[0.002, 80]", "steps": steps.map(String.init).joined(separator: ","),
                               "samples": "\(n)", "samplers": samplers.map(\.label).joined(separator: ", "), "network": "T1 EDM recipe (log-normal σ, EDM λ), width \(width), \(total) steps, raw weights",
                               "histogram": "200×200 on [−3, 3]²", "seed": "\(context.seed)"])
    }

    /// Where log(KL_geometric / KL_best polynomial) changes sign between consecutive N (interpolated in log N).
    static func crossovers(_ kl: [[Double]], steps: [Int]) -> [(steps: Double, betterAbove: String)] {
        let gap = steps.indices.map { Foundation.log(kl[0][$0] / min(kl[1][$0], kl[2][$0])) }
        return (1..<max(1, steps.count)).compactMap { j in
            guard gap[j - 1] * gap[j] < 0 else { return nil }
            let t = gap[j - 1] / (gap[j - 1] - gap[j])
            let (l0, l1) = (Foundation.log(Double(steps[j - 1])), Foundation.log(Double(steps[j])))
            return (Foundation.exp(l0 + t * (l1 - l0)), gap[j] < 0 ? "geometric" : "polynomial")
        }
    }
}

/// (1 − α) D_a + α D_b: the denoiser (and score, linearly) of a blend of two models — T2's
/// synthetic degradation of an exact score by a smooth bias (papers.md §3.4 T2 (c)).
struct BlendedDenoiser<A: Denoiser, B: Denoiser>: Denoiser where A.Scalar == B.Scalar {
    typealias Scalar = A.Scalar
    let a: A
    let b: B
    let alpha: Scalar
    var dimension: Int { a.dimension }

    init(_ a: A, _ b: B, alpha: Scalar) throws {
        guard a.dimension == b.dimension, alpha >= 0, alpha <= 1 else {
            throw ExperimentError.failed(id: "blend", reason: "α = \(alpha) outside [0, 1] or dimensions \(a.dimension) ≠ \(b.dimension)")
        }
        (self.a, self.b, self.alpha) = (a, b, alpha)
    }

    func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        try a.denoise(x, sigma: sigma).linearCombination(1 - alpha, alpha, try b.denoise(x, sigma: sigma))
    }
}

/// KL(q̂ ‖ p) between the histogram q̂ of 2-D samples on a side × side grid over [−h, h]² (plus one
/// cell for everything outside) and the exact cell masses p of an isotropic Gaussian mixture
/// (products of normal-CDF differences per component). Empty cells contribute 0; the estimate is
/// biased upward by about (occupied cells − 1)/(2n) for exact samples (its "floor").
struct RingHistogramKL {
    let side: Int
    let halfWidth: Double
    /// side² cell masses (row-major in (x₂, x₁)) and the outside mass last.
    let masses: [Double]

    init(mixture: IsotropicMixture<Double>, side: Int, halfWidth: Double) throws {
        guard mixture.dimension == 2, side >= 1, halfWidth > 0 else {
            throw ExperimentError.failed(id: "histogram", reason: "needs 2-D data, side ≥ 1 and a positive half-width")
        }
        self.side = side
        self.halfWidth = halfWidth
        let edges = (0...side).map { -halfWidth + 2 * halfWidth * Double($0) / Double(side) }
        func cdf(_ z: Double) -> Double { 0.5 * Foundation.erfc(-z / 2.0.squareRoot()) }
        var cells = [Double](repeating: 0, count: side * side)
        for k in 0..<mixture.componentCount {
            let s = mixture.standardDeviations[k]
            let along = (0..<2).map { axis in
                (0..<side).map { i in cdf((edges[i + 1] - mixture.means[k, axis]) / s) - cdf((edges[i] - mixture.means[k, axis]) / s) }
            }
            for r in 0..<side { for c in 0..<side { cells[r * side + c] += mixture.weights[k] * along[1][r] * along[0][c] } }
        }
        masses = cells + [max(0, 1 - cells.reduce(0, +))]
    }

    /// The cell of a point (side² = outside).
    func cell(_ x: Double, _ y: Double) -> Int {
        let scale = Double(side) / (2 * halfWidth)
        let (c, r) = (((x + halfWidth) * scale).rounded(.down), ((y + halfWidth) * scale).rounded(.down))
        guard c >= 0, r >= 0, c < Double(side), r < Double(side) else { return side * side }
        return Int(r) * side + Int(c)
    }

    func kl(_ samples: Matrix<Double>) -> Double {
        var counts = [Int](repeating: 0, count: masses.count)
        for i in 0..<samples.rows { counts[cell(samples[i, 0], samples[i, 1])] += 1 }
        let n = Double(samples.rows)
        return zip(counts, masses).reduce(0.0) { acc, pair in
            guard pair.0 > 0 else { return acc }
            let q = Double(pair.0) / n
            return acc + q * Foundation.log(q / max(pair.1, .leastNormalMagnitude))
        }
    }
}
