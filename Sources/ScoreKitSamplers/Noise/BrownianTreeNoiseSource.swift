/// The time a Brownian-tree source runs on, τ(σ).
public enum BrownianClock: String, Codable, Sendable, CaseIterable {
    /// τ = σ, k-diffusion's `BrownianTreeNoiseSampler` default.
    case sigma
    /// τ = σ², the clock of the VE SDE dx = √(dσ²/dt) dw (Song et al. 2021): its
    /// Euler–Maruyama increments are then consistent across step sizes.
    case sigmaSquared = "sigma_squared"

    func time<Scalar: MatrixScalar>(_ sigma: Scalar) -> Scalar { self == .sigma ? sigma : sigma * sigma }
}

/// Brownian-tree noise like k-diffusion's `BrownianTreeNoiseSampler`: a request for (σ, σ_next)
/// returns (W(τ(σ_next)) − W(τ(σ)))/√|τ(σ_next) − τ(σ)|, a standard normal, from one fixed
/// Brownian path per sample, so refining the steps refines the same path.
///
/// Unlike torchsde's tree it stores nothing and is exact to rounding at the dyadic points: W is
/// built by recursive Brownian-bridge bisection of [τ(σ_min), τ(σ_max)] (W = 0 at τ(σ_min)),
/// the midpoint of each node drawing its normal from `CounterNormalRNG` at (seed, sample, draw
/// 2³¹ + node) (heap numbering, root 1; draw 2³¹ holds the endpoint) — draws a
/// `PerSampleNoiseSource` with the same seed never reaches. The bisection stops after 31 levels;
/// below that resolution, (τ_max − τ_min)·2⁻³¹, W is interpolated linearly. Rows are samples
/// `firstSample ..< firstSample + B`, so paths do not depend on the batch.
public struct BrownianTreeNoiseSource<Scalar: MatrixScalar>: NoiseSource, Sendable {
    public let rng: CounterNormalRNG
    public let firstSample: Int
    public let clock: BrownianClock
    public let sigmaMin: Scalar
    public let sigmaMax: Scalar
    /// W at the last σ asked for: consecutive steps share an endpoint.
    private var last: (sigma: Scalar, w: Matrix<Scalar>)?

    static var depth: Int { 31 }
    static var firstDraw: Int { 1 << 31 }

    public init(seed: UInt64, sigmaMin: Scalar, sigmaMax: Scalar, clock: BrownianClock = .sigma, firstSample: Int = 0) throws {
        guard sigmaMin.isFinite, sigmaMax.isFinite, sigmaMin >= 0, sigmaMin < sigmaMax else {
            throw SamplingError.invalidOption("Brownian tree needs 0 ≤ σ_min < σ_max, finite (got \(sigmaMin), \(sigmaMax))")
        }
        guard firstSample >= 0 else { throw SamplingError.invalidOption("first sample index \(firstSample) is negative") }
        rng = CounterNormalRNG(seed: seed)
        self.sigmaMin = sigmaMin
        self.sigmaMax = sigmaMax
        self.clock = clock
        self.firstSample = firstSample
    }

    public mutating func next(rows: Int, columns: Int, sigma: Scalar, sigmaNext: Scalar) throws -> Matrix<Scalar> {
        let dt = abs(clock.time(sigmaNext) - clock.time(sigma))
        guard dt > 0 else {
            throw SamplingError.invalidOption(
                "Brownian tree asked for an increment over the empty interval σ = \(sigma) (Langevin correctors need a stream source)")
        }
        let w0 = try cachedBrownianMotion(at: sigma, rows: rows, columns: columns)
        let w1 = try cachedBrownianMotion(at: sigmaNext, rows: rows, columns: columns)
        return w1.linearCombination(1 / dt.squareRoot(), -1 / dt.squareRoot(), w0)
    }

    private mutating func cachedBrownianMotion(at sigma: Scalar, rows: Int, columns: Int) throws -> Matrix<Scalar> {
        if let last, last.sigma == sigma, last.w.rows == rows, last.w.columns == columns { return last.w }
        let w = try brownianMotion(at: sigma, rows: rows, columns: columns)
        last = (sigma, w)
        return w
    }

    /// W(τ(σ)) for the batch, one independent path per row, W(τ(σ_min)) = 0.
    public func brownianMotion(at sigma: Scalar, rows: Int, columns: Int) throws -> Matrix<Scalar> {
        guard rows >= 0, columns >= 0, firstSample <= Int.max - rows else {
            throw SamplingError.noiseShape("\(rows)×\(columns) draw from sample \(firstSample)")
        }
        let (t0, t1) = (Double(clock.time(sigmaMin)), Double(clock.time(sigmaMax)))
        let slack = 1e-9 * (t1 - t0)
        let t = Double(clock.time(sigma))
        guard sigma.isFinite, t >= t0 - slack, t <= t1 + slack else {
            throw SamplingError.invalidOption("Brownian tree queried at σ = \(sigma), outside [\(sigmaMin), \(sigmaMax)]")
        }
        let u = min(max((t - t0) / (t1 - t0), 0), 1)
        return standardBridge(at: u, rows: rows, columns: columns) * Scalar((t1 - t0).squareRoot())
    }

    /// B(u) of a standard Brownian motion on [0, 1] by bisection: given B at the ends l, r of the
    /// current interval, B((l + r)/2) = (B(l) + B(r))/2 + √((r − l)/4)·z (the Brownian bridge).
    private func standardBridge(at u: Double, rows: Int, columns: Int) -> Matrix<Scalar> {
        var left = Matrix<Scalar>(rows: rows, columns: columns)
        if u == 0 { return left }
        var right = normals(node: 0, rows: rows, columns: columns)
        var (l, r, node) = (0.0, 1.0, 1)
        for _ in 0..<Self.depth {
            if u == l { return left }
            if u == r { return right }
            let m = (l + r) / 2
            var mid = left.linearCombination(0.5, 0.5, right)
            mid.axpy(Scalar(((r - l) / 4).squareRoot()), normals(node: node, rows: rows, columns: columns))
            if u < m { (r, right, node) = (m, mid, 2 * node) } else { (l, left, node) = (m, mid, 2 * node + 1) }
        }
        let w = Scalar((u - l) / (r - l))
        return left.linearCombination(1 - w, w, right)
    }

    private func normals(node: Int, rows: Int, columns: Int) -> Matrix<Scalar> {
        rng.normals(rows: rows, columns: columns, firstSample: firstSample, draw: Self.firstDraw + node)
    }
}
