/// The Dormand–Prince RK5(4)7M pair (Dormand & Prince 1980), as in Hairer's DOPRI5 and scipy's
/// `RK45`: six new stages per step, first same as last, the fifth-order solution propagated and the
/// embedded fourth-order one used only for the error estimate.
enum DormandPrinceTableau {
    static let c: [Double] = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1]
    static let a: [[Double]] = [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
    ]
    static let b: [Double] = [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84]
    /// b − b̂ over the seven stages (the seventh is the slope at the new point).
    static let e: [Double] = [-71.0 / 57600, 0, 71.0 / 16695, -71.0 / 1920, 17253.0 / 339200, -22.0 / 525, 1.0 / 40]
}

/// Adaptive Dormand–Prince integration of the probability-flow ODE with scipy's step control:
/// error = max over samples of the RMS of err/(atol + rtol·max(|x|, |x_new|)), accepted when < 1,
/// next step × clamp(safety · error^(−1/5), minFactor, maxFactor), never growing right after a
/// rejection. The per-sample maximum (scipy takes one RMS over the whole batch) holds every
/// sample to the tolerance, whatever else is in the batch.
struct DormandPrince45<D: Denoiser> {
    typealias Scalar = D.Scalar
    let ode: ProbabilityFlowODE<D>
    let options: DormandPrinceOptions<Scalar>
    let rtol: Scalar
    /// The next trial step |h|, carried from one target σ to the next.
    private var h: Scalar?
    private(set) var steps = 0

    init(ode: ProbabilityFlowODE<D>, options: DormandPrinceOptions<Scalar>) throws {
        try options.validate()
        self.ode = ode
        self.options = options
        self.rtol = max(options.rtol, 100 * Scalar.ulpOfOne)
        self.h = options.initialStep
    }

    /// Integrates from `start` to σ = `sigmaEnd`, landing exactly on it (the step before is clipped,
    /// or the remainder split in two equal steps when it is under two trial steps).
    mutating func advance(from start: ODEPoint<Scalar>, to sigmaEnd: Scalar) throws -> ODEPoint<Scalar> {
        let tEnd = ode.time(of: sigmaEnd)
        let direction: Scalar = tEnd < start.t ? -1 : 1
        var p = start
        var h = try self.h ?? initialStep(p, direction: direction)
        var rejected = false
        while p.t != tEnd {
            guard steps < options.maxSteps else {
                throw ODESolverError.tooManySteps(limit: options.maxSteps, sigma: Double(p.sigma))
            }
            steps += 1
            let remaining = abs(tEnd - p.t)
            let lands = h >= remaining
            let hStep = lands ? remaining : (remaining < 2 * h ? remaining / 2 : h)
            let tNew = lands ? tEnd : p.t + direction * hStep
            let (q, error) = try trialStep(p, h: direction * hStep, tNew: tNew,
                                           sigmaNew: lands ? sigmaEnd : ode.sigma(at: tNew))
            if error < 1 {
                var factor = error == 0 ? options.maxFactor
                    : min(options.maxFactor, options.safety * Scalar.pow(error, -0.2))
                if rejected { factor = min(1, factor) }
                h = lands ? max(h, hStep * factor) : hStep * factor
                p = q
                rejected = false
            } else {
                let factor = error.isFinite ? max(options.minFactor, options.safety * Scalar.pow(error, -0.2)) : options.minFactor
                h = hStep * factor
                rejected = true
            }
            guard h > 10 * Scalar.ulpOfOne * max(abs(p.t), abs(tEnd), 1) else {
                throw ODESolverError.stepSizeUnderflow(sigma: Double(p.sigma))
            }
        }
        self.h = h
        return p
    }

    /// One Dormand–Prince step of signed size `h`: the new point (with its FSAL evaluation) and the
    /// scaled error norm.
    private func trialStep(_ p: ODEPoint<Scalar>, h: Scalar, tNew: Scalar, sigmaNew: Scalar)
        throws -> (ODEPoint<Scalar>, Scalar)
    {
        typealias T = DormandPrinceTableau
        var k = [p.slope]
        for s in 1..<6 {
            var y = p.x
            for j in 0..<s where T.a[s][j] != 0 { y.axpy(h * Scalar(T.a[s][j]), k[j]) }
            let last = T.c[s] == 1
            let t = last ? tNew : p.t + Scalar(T.c[s]) * h
            k.append(try ode.point(y, t: t, sigma: last ? sigmaNew : ode.sigma(at: t)).slope)
        }
        var xNew = p.x
        for j in 0..<6 where T.b[j] != 0 { xNew.axpy(h * Scalar(T.b[j]), k[j]) }
        let q = try ode.point(xNew, t: tNew, sigma: sigmaNew)
        k.append(q.slope)
        var err = Matrix<Scalar>(rows: p.x.rows, columns: p.x.columns)
        for j in 0..<7 where T.e[j] != 0 { err.axpy(h * Scalar(T.e[j]), k[j]) }
        let scale = zip(p.x.scalars, xNew.scalars).map { options.atol + rtol * max(abs($0), abs($1)) }
        return (q, maxRowRMS(err, scale: scale))
    }

    /// Hairer, Nørsett & Wanner's starting step (scipy `select_initial_step`), one extra evaluation.
    private func initialStep(_ p: ODEPoint<Scalar>, direction: Scalar) throws -> Scalar {
        let scale = p.x.scalars.map { options.atol + rtol * abs($0) }
        let d0 = maxRowRMS(p.x, scale: scale)
        let d1 = maxRowRMS(p.slope, scale: scale)
        let h0: Scalar = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : d0 / d1 / 100
        let t1 = p.t + direction * h0
        let p1 = try ode.point(p.x.linearCombination(1, direction * h0, p.slope), t: t1, sigma: ode.sigma(at: t1))
        let d2 = maxRowRMS(p1.slope - p.slope, scale: scale) / h0
        let h1 = max(d1, d2) <= 1e-15 ? max(1e-6, h0 / 1000) : Scalar.pow(1 / (100 * max(d1, d2)), 0.2)
        return min(100 * h0, h1)
    }
}

/// max over rows i of √(mean_j (v_ij / scale_ij)²).
private func maxRowRMS<Scalar: MatrixScalar>(_ v: Matrix<Scalar>, scale: [Scalar]) -> Scalar {
    var worst: Scalar = 0
    for i in 0..<v.rows {
        var sum: Scalar = 0
        for j in (i * v.columns)..<((i + 1) * v.columns) {
            let r = v.scalars[j] / scale[j]
            sum += r * r
        }
        let rms = (sum / Scalar(v.columns)).squareRoot()
        if !(rms <= worst) { worst = rms }   // also lets NaN through, which rejects the step
    }
    return worst
}
