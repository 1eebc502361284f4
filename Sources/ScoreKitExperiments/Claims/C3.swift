import Foundation

/// Chen et al. (papers.md §2.2, §2.5 C3): second-order samplers are finite differences of the
/// denoising trajectory r(t) = D(x(t); t). With ε_n = (x_n − r_n)/t_n and h = t_{n+1} − t_n < 0,
/// * Heun:   x_{n+1} = x_n + h ε_n − h/(2 t_{n+1}) · (r̃_{n+1} − r_n),  r̃_{n+1} = r(x_n + h ε_n, t_{n+1});
/// * DPM-2:  x_{n+1} = x_n + h ε_n − h/t_m · (r̃_m − r_n),  t_m = √(t_n t_{n+1}), r̃_m = r(x_n + (t_m − t_n) ε_n, t_m);
/// * DPM-Solver++(2M): x_{n+1} = x_n + h ε_n − h/t_n · (λ-step ratio)/2 · (r_n − r_{n−1}), a backward
///   difference with λ = −log t (no extra evaluation);
/// each with k-diffusion's first-order final step to t = 0 (and first step for 2M). These are written
/// here independently of the library's samplers (the standard forms) and must agree to < 1e-12.
/// The curvature identity d²x/dt² = −(1/t) dr/dt is checked by finite differences along a fine rk45 solution.
public struct C3SecondOrderFiniteDifferences: Experiment {
    public let id = "C3"
    public let paper = Paper.chen
    public let claim = "Second-order samplers (Heun, DPM-2, DPM-Solver++(2M)) are finite differences of the denoising trajectory, and d²x/dt² = −(1/t)·dr/dt."
    public let criterion = """
    Double precision, exact denoisers (ring8 GMM, d = 2; digits empirical, d = 64), Karras ρ = 7 grids 0.002..80. \
    (1) For heun, dpm_2 and dpmpp_2m, the max |x_standard − x_r-difference| over the final samples is < 1e-12 on every grid and set. \
    (2) On an rk45 solution (rtol = atol = 1e-12) observed on a geometric grid of σ in [0.05, 80], the relative L2 residual \
    ‖x'' + r'/t‖ / ‖x''‖ of three-point finite differences over the interior points is < 1e-3 for both sets. \
    Holds if (1) and (2); partly holds if one of them; does not hold otherwise.
    """

    let batchOverride: Int?
    let gridOverride: Int?
    let digitsLimit: Int?

    public init() { self.init(batch: nil, grid: nil, digitsLimit: nil) }

    /// Smaller runs for tests.
    init(batch: Int?, grid: Int?, digitsLimit: Int?) {
        self.batchOverride = batch
        self.gridOverride = grid
        self.digitsLimit = digitsLimit
    }

    enum Form: String, CaseIterable {
        case heun, dpm2 = "dpm_2", dpmpp2M = "dpmpp_2m"

        var standard: SamplerName {
            switch self {
            case .heun: return .kdiffusion(.heun)
            case .dpm2: return .kdiffusion(.dpm2)
            case .dpmpp2M: return .kdiffusion(.dpmpp2M)
            }
        }
    }

    public func run(_ context: ExperimentContext) throws -> ClaimResult {
        let batch = batchOverride ?? (context.quick ? 16 : 64)
        let stepCounts = context.quick ? [10, 18] : [10, 18, 50, 100]
        let gridPoints = gridOverride ?? (context.quick ? 801 : 2001)
        let ring = try ChenSetup.ring()
        let digits = try EmpiricalDenoiser(data: try ChenSetup.digits(limit: digitsLimit))
        let total = 2 * (stepCounts.count * Form.allCases.count + 1)
        var done = 0
        var numbers = [String: Double]()
        var agreement = [(set: String, form: Form, steps: Int, difference: Double)]()
        var curvature = [(set: String, check: CurvatureCheck)]()
        func check<D: Denoiser>(_ name: String, _ denoiser: D, seedOffset: UInt64) throws where D.Scalar == Double {
            let start = ChenSetup.start(count: batch, dimension: denoiser.dimension, seed: context.seed &+ seedOffset)
            for steps in stepCounts {
                let sigmas = try ChenSetup.karras(steps: steps)
                for form in Form.allCases {
                    var noise = NoNoise<Double>()
                    let standard = try form.standard.sample(SamplingModel(denoiser), from: start, sigmas: sigmas, noise: &noise)
                    let difference = try C3SecondOrderFiniteDifferences.differenceForm(form, denoiser, from: start, sigmas: sigmas)
                    let gap = (standard - difference).maxAbs()
                    agreement.append((name, form, steps, gap))
                    numbers["\(name).\(form.rawValue).N\(steps).max_abs_difference"] = gap
                    done += 1
                    context.progress(done, total)
                }
            }
            let fine = try CurvatureCheck(denoiser, start: start.rows(0..<min(4, batch)), points: gridPoints)
            curvature.append((name, fine))
            numbers["\(name).curvature_relative_residual"] = fine.relativeResidual
            done += 1
            context.progress(done, total)
        }
        try check("ring", ring, seedOffset: 0)
        try check("digits", digits, seedOffset: 1)

        let worst = agreement.map(\.difference).max() ?? .infinity
        let worstCurvature = curvature.map(\.check.relativeResidual).max() ?? .infinity
        numbers["max_abs_difference_all"] = worst
        numbers["max_curvature_relative_residual"] = worstCurvature
        let exact = worst < 1e-12, identity = worstCurvature < 1e-3
        let verdict: Verdict = exact && identity ? .holds : (exact || identity ? .partlyHolds : .doesNotHold)
        let key = "max |Δ| \(ChenSetup.format(worst, 2)); curvature residual \(ChenSetup.format(worstCurvature, 2))"
        let reading = """
        The r-difference forms, written here from papers.md §2.2, reproduce the library's heun, dpm_2 and dpmpp_2m to a \
        largest absolute difference of \(ChenSetup.format(worst)) over \(agreement.count) runs (\(stepCounts.map(String.init).joined(separator: ", ")) \
        steps, two data sets), i.e. round-off: the second-order correction of each sampler is exactly a finite difference of the \
        denoiser output (forward at a predicted point for Heun and DPM-2, backward for the multistep 2M). Along fine rk45 \
        solutions, x'' and −r'/t agree to a relative residual of \(curvature.map { "\($0.set) \(ChenSetup.format($0.check.relativeResidual))" }.joined(separator: ", ")): \
        the sampling path bends only as fast as the denoising output moves, scaled by 1/t.
        """
        let markers = [PlotSpec.Marker(axis: .y, value: 1e-12, label: "1e-12 criterion")]
        let agreementFigure = Figure.plot(PlotSpec(
            title: "C3: standard vs r-difference form", xLabel: "steps N", yLabel: "max |difference| (0 drawn at 10⁻¹⁸)",
            xScale: .log, yScale: .log,
            series: ["ring", "digits"].flatMap { set in Form.allCases.map { form in
                let rows = agreement.filter { $0.set == set && $0.form == form }
                return PlotSpec.Series(label: "\(form.rawValue), \(set)", x: rows.map { Double($0.steps) },
                                       y: rows.map { max($0.difference, 1e-18) }, style: .linePoints)
            } }, markers: markers))
        let curvatureFigures = curvature.map { entry in
            Figure.plot(PlotSpec(
                title: "C3: curvature identity along rk45, \(entry.set)", xLabel: "t = σ (log scale)",
                yLabel: "batch-mean norm", xScale: .log, yScale: .log,
                series: [.init(label: "‖d²x/dt²‖", x: entry.check.times, y: entry.check.secondDerivativeNorms),
                         .init(label: "‖(1/t) dr/dt‖", x: entry.check.times, y: entry.check.scaledDenoiserDerivativeNorms),
                         .init(label: "‖x'' + r'/t‖ (residual)", x: entry.check.times, y: entry.check.residualNorms)]))
        }
        return result(verdict: verdict, numbers: numbers, keyNumber: key, reading: reading,
                      figures: [agreementFigure] + curvatureFigures,
                      config: ["samplers": "heun, dpm_2, dpmpp_2m", "steps": stepCounts.map(String.init).joined(separator: ","),
                               "batch": String(batch), "rk45_grid_points": String(gridPoints), "rk45_tolerance": "1e-12",
                               "digits": String(digitsLimit ?? 1797)])
    }

    /// The r-difference form of `form` along `sigmas` (papers.md §2.2), from `x`.
    static func differenceForm<D: Denoiser>(_ form: Form, _ denoiser: D, from x: Matrix<Double>, sigmas: [Double]) throws
        -> Matrix<Double> where D.Scalar == Double {
        var x = x
        var previous: (t: Double, r: Matrix<Double>)?
        for n in sigmas.indices.dropLast() {
            let t = sigmas[n], tNext = sigmas[n + 1], h = tNext - t
            let r = try denoiser.denoise(x, sigma: t)
            let epsilon = (x - r) / t
            let euler = x + epsilon * h
            defer { previous = (t, r) }
            guard tNext > 0 else { x = euler; continue }          // first-order final step
            switch form {
            case .heun:
                let predicted = try denoiser.denoise(euler, sigma: tNext)
                x = euler - (predicted - r) * (h / (2 * tNext))
            case .dpm2:
                let tMid = Double.exp(Double.log(t) + 0.5 * (Double.log(tNext) - Double.log(t)))
                let predicted = try denoiser.denoise(x + epsilon * (tMid - t), sigma: tMid)
                x = euler - (predicted - r) * (h / tMid)
            case .dpmpp2M:
                guard let previous else { x = euler; continue }   // first step: no backward difference yet
                let stepRatio = (Double.log(t) - Double.log(tNext)) / (Double.log(previous.t) - Double.log(t))
                x = euler - (r - previous.r) * (h / t * stepRatio / 2)
            }
        }
        return x
    }
}

/// Finite-difference check of d²x/dt² = −(1/t) dr/dt along an rk45 solution observed on a geometric
/// grid of `points` σ from σ_T = 80 down to 0.05 (three-point non-uniform formulas at interior points).
struct CurvatureCheck {
    let times: [Double]
    let secondDerivativeNorms: [Double]
    let scaledDenoiserDerivativeNorms: [Double]
    let residualNorms: [Double]
    /// √(Σ‖x'' + r'/t‖²) / √(Σ‖x''‖²) over interior points and samples.
    let relativeResidual: Double

    init<D: Denoiser>(_ denoiser: D, start: Matrix<Double>, points: Int) throws where D.Scalar == Double {
        let grid = try Schedule<Double>.exponential(steps: points, sigmaMin: 0.05, sigmaMax: ChenSetup.sigmaMax, appendZero: false).sigmas
        let options = SamplerOptions<Double>(reference: .init(rk45: .init(rtol: 1e-12, atol: 1e-12, denoiseToZero: false)))
        var noise = NoNoise<Double>()
        let record = try SamplerName.reference(.rk45).record(denoiser, from: start, sigmas: grid, options: options, noise: &noise)
        let t: [Double] = record.sigmas
        var times = [Double](), second = [Double](), scaled = [Double](), residual = [Double]()
        var residualSquares = 0.0, secondSquares = 0.0
        for k in 1..<(t.count - 1) {
            let h1: Double = t[k] - t[k - 1], h2: Double = t[k + 1] - t[k], span: Double = h1 + h2
            // f'' ≈ w·(f_{k−1}, f_k, f_{k+1}) and f' ≈ v·(…) on the non-uniform grid.
            let w: [Double] = [2 / (h1 * span), -2 / (h1 * h2), 2 / (h2 * span)]
            let v: [Double] = [-h2 / (h1 * span), (h2 - h1) / (h1 * h2), h1 / (h2 * span)]
            let xpp = CurvatureCheck.combine(record.x[(k - 1)...(k + 1)], w)
            let rp = CurvatureCheck.combine(record.denoised[(k - 1)...(k + 1)], v) / t[k]
            let sum = xpp + rp
            residualSquares += sum.rowSquaredNorms().reduce(0, +)
            secondSquares += xpp.rowSquaredNorms().reduce(0, +)
            times.append(t[k])
            second.append(ChenSetup.mean(xpp.rowSquaredNorms().map { $0.squareRoot() }))
            scaled.append(ChenSetup.mean(rp.rowSquaredNorms().map { $0.squareRoot() }))
            residual.append(ChenSetup.mean(sum.rowSquaredNorms().map { $0.squareRoot() }))
        }
        self.times = times
        self.secondDerivativeNorms = second
        self.scaledDenoiserDerivativeNorms = scaled
        self.residualNorms = residual
        self.relativeResidual = secondSquares > 0 ? (residualSquares / secondSquares).squareRoot() : .infinity
    }

    /// Σ_j c_j m_j.
    static func combine(_ matrices: ArraySlice<Matrix<Double>>, _ c: [Double]) -> Matrix<Double> {
        zip(matrices.dropFirst(), c.dropFirst()).reduce(matrices[matrices.startIndex] * c[0]) { $0 + $1.0 * $1.1 }
    }
}
