import Foundation

/// Shared numerics of the claims that need no training (K1–K3, W1, T3). Every name here starts
/// with `Exact` so that it cannot clash with helpers of the other claims.

/// Classical RK4 on Kim's autonomous flow dx/dτ = f(x) (papers.md §1.3) with a fixed step, for the
/// horizons the claims compare (τ_end = σ_max − σ_min and multiples of it).
struct ExactFlowIntegrator {
    let field: VectorField<Double>
    /// The largest dτ; the horizon is split into equal steps no longer than this.
    let maxStep: Double

    struct Run {
        /// The state at the end (at `tau`).
        let x: Matrix<Double>
        /// The τ actually integrated: the horizon, or less after an early stop at equilibrium.
        let tau: Double
        /// The states every `recordEvery` steps (first the start), when recording.
        let path: [Matrix<Double>]
    }

    /// Integrates `x` over `horizon`. With `stopResidual`, stops once max |f| ≤ it for every row:
    /// an equilibrium is a fixed point of the flow, so the state there is the state at any later τ.
    func run(_ x: Matrix<Double>, horizon: Double, recordEvery: Int = 0, stopResidual: Double? = nil) throws -> Run {
        let steps = max(1, Int((horizon / maxStep).rounded(.up)))
        let h = horizon / Double(steps)
        var x = x
        var path = recordEvery > 0 ? [x] : []
        for step in 0..<steps {
            let k1 = try field(x)
            if let stop = stopResidual, k1.maxAbs() <= stop {
                return Run(x: x, tau: Double(step) * h, path: path)
            }
            let k2 = try field(x.linearCombination(1, h / 2, k1))
            let k3 = try field(x.linearCombination(1, h / 2, k2))
            let k4 = try field(x.linearCombination(1, h, k3))
            x.axpy(h / 6, k1); x.axpy(h / 3, k2); x.axpy(h / 3, k3); x.axpy(h / 6, k4)
            guard x.isFinite else {
                throw ExperimentError.failed(id: "flow", reason: "RK4 with dτ = \(h) diverged after \(step + 1) steps")
            }
            if recordEvery > 0 && (step + 1) % recordEvery == 0 { path.append(x) }
        }
        return Run(x: x, tau: horizon, path: path)
    }
}

enum ExactMath {
    /// NCSN's geometric levels σ_1 = `sigmaMax` > … > σ_L = `sigmaMin` (papers.md §0.2).
    static func geometricLevels(count: Int, sigmaMax: Double, sigmaMin: Double) throws -> [Double] {
        try Schedule<Double>.ncsnLevels(count: count, sigmaBegin: sigmaMax, sigmaEnd: sigmaMin).sigmas
    }

    /// Per row of `x`, the Euclidean distance to the nearest row of `data`, computed from the
    /// differences (the Gram form loses the digits of distances near 1e-9).
    static func nearestDistances(_ x: Matrix<Double>, to data: Matrix<Double>) -> [Double] {
        (0..<x.rows).map { r in
            let row = x.row(r)
            return (0..<data.rows).map { k in
                zip(row, data.row(k)).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }.min()?.squareRoot() ?? .infinity
        }
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The least-squares slope of log y against log x (the exponent p of y ∝ x^p).
    static func logLogSlope(_ x: [Double], _ y: [Double]) -> Double {
        let lx = x.map { Foundation.log($0) }, ly = y.map { Foundation.log($0) }
        let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
        let sxy = zip(lx, ly).reduce(0.0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = lx.reduce(0.0) { $0 + ($1 - mx) * ($1 - mx) }
        return sxx > 0 ? sxy / sxx : .nan
    }

    /// A Haar-random d × d orthogonal matrix: the eigenvectors of a symmetric Gaussian (GOE) matrix.
    static func randomOrthogonal(_ d: Int, rng: CounterNormalRNG, draw: Int) throws -> Matrix<Double> {
        let a = rng.normals(rows: d, columns: d, draw: draw, as: Double.self)
        return try ((a + a.transposed) * 0.5).symmetricEigen().vectors
    }

    /// `count` variances log-uniform on [low, high], sorted descending ("a random spectrum").
    static func logUniformSpectrum(_ count: Int, low: Double, high: Double, rng: CounterNormalRNG, draw: Int) -> [Double] {
        let u = rng.uniforms(rows: 1, columns: count, draw: draw, as: Double.self).scalars
        return u.map { Foundation.exp(Foundation.log(low) + $0 * (Foundation.log(high) - Foundation.log(low))) }
            .sorted(by: >)
    }

    /// N(μ, U diag(λ) Uᵀ) with U the first λ.count columns of `basis` (rank λ.count).
    static func gaussian(mean: [Double], spectrum: [Double], basis: Matrix<Double>) throws -> GaussianDenoiser<Double> {
        let d = mean.count
        let u = Matrix<Double>(rows: d, columns: spectrum.count) { i, j in basis[i, j] }
        var covariance = Matrix.product(u.exactScaledColumns(spectrum), transposeA: false, u, transposeB: true)
        covariance = (covariance + covariance.transposed) * 0.5
        return try GaussianDenoiser(mean: mean, covariance: covariance)
    }

    static func format(_ x: Double) -> String { String(format: "%.3g", x) }
}

extension Matrix where Scalar == Double {
    /// Column j multiplied by `factors[j]`.
    func exactScaledColumns(_ factors: [Double]) -> Matrix {
        Matrix(rows: rows, columns: columns) { i, j in self[i, j] * factors[j] }
    }
}
