import Foundation
@_exported import ScoreKitTestSupport
import ScoreKitSamplers
import Testing

/// Test support for the Reference / SDE / Noise / Trajectory suites (names prefixed `Ref` so they
/// cannot collide with the other sampler suites' support files in this target).

/// The ring8 DOP853 fixture written by scripts/fixtures/make_sampler_fixtures_ref.py.
struct RefODEFixture: Decodable {
    struct Gaussian: Decodable {
        let mu: [Double]
        let lam: [Double]
        let U: [[Double]]
    }
    struct Run: Decodable {
        let id: String
        let ode_rtol: Double
        let ode_atol: Double
        let sigmas: [Double]
        let ends_at_sigma: Double
        let out: [[Double]]
        let trajectory: [[[Double]]]?
    }
    let X: [[Double]]
    let Z: [[Double]]
    let gaussian: Gaussian
    let runs: [Run]

    static func load() throws -> RefODEFixture {
        let url = try #require(Bundle.module.url(forResource: "ring8_ode", withExtension: "json", subdirectory: "Fixtures/ref"))
        return try JSONDecoder().decode(RefODEFixture.self, from: Data(contentsOf: url))
    }

    func run(_ id: String) throws -> Run { try #require(runs.first { $0.id == id }) }
}

/// The optimal denoiser of the empirical distribution of X (the oracle README): softmax over
/// −‖x − x_i‖²/(2σ²), max-subtracted, weighted mean of the x_i (`bruteForceEmpiricalDenoise`).
struct RefEmpiricalDenoiser: Denoiser {
    let dimension: Int
    let points: [Double]

    init(points: [[Double]]) {
        dimension = points[0].count
        self.points = points.flatMap { $0 }
    }

    func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> {
        bruteForceEmpiricalDenoise(x, points: points, dimension: dimension, sigma: sigma)
    }
}

/// Posterior mean for data N(μ, U diag(λ) Uᵀ) under VE noise: μ + U diag(λ/(λ+σ²)) Uᵀ(x − μ),
/// with the exact probability-flow map x(σ) = μ + U diag(√((λ+σ²)/(λ+σ₀²))) Uᵀ(x(σ₀) − μ).
struct RefGaussianDenoiser<Scalar: MatrixScalar>: Denoiser {
    let mu: [Scalar]
    let lam: [Scalar]
    /// Eigenvectors in columns.
    let U: [[Scalar]]
    var dimension: Int { mu.count }

    /// Isotropic N(μ, s² I).
    init(mean: [Scalar], std: Scalar) {
        mu = mean
        lam = mean.map { _ in std * std }
        U = (0..<mean.count).map { i in (0..<mean.count).map { $0 == i ? 1 : 0 } }
    }

    init(mu: [Scalar], lam: [Scalar], U: [[Scalar]]) {
        self.mu = mu
        self.lam = lam
        self.U = U
    }

    /// x ↦ μ + U diag(f) Uᵀ (x − μ), row by row.
    private func mapEigen(_ x: Matrix<Scalar>, _ f: [Scalar]) -> Matrix<Scalar> {
        let d = dimension
        var out = Matrix<Scalar>(rows: x.rows, columns: d)
        for b in 0..<x.rows {
            let c = (0..<d).map { k in (0..<d).reduce(Scalar(0)) { $0 + (x[b, $1] - mu[$1]) * U[$1][k] } * f[k] }
            for j in 0..<d { out[b, j] = mu[j] + (0..<d).reduce(Scalar(0)) { $0 + U[j][$1] * c[$1] } }
        }
        return out
    }

    func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        mapEigen(x, lam.map { $0 / ($0 + sigma * sigma) })
    }

    func exactFlow(_ x: Matrix<Scalar>, from sigma0: Scalar, to sigma: Scalar) -> Matrix<Scalar> {
        mapEigen(x, lam.map { (($0 + sigma * sigma) / ($0 + sigma0 * sigma0)).squareRoot() })
    }
}

/// k-diffusion's `get_sigmas_karras(n, σ_min, σ_max, ρ)` in the scalar type, with the final 0.
func refKarrasSigmas<Scalar: MatrixScalar>(_ n: Int, sigmaMin: Scalar, sigmaMax: Scalar, rho: Scalar = 7) -> [Scalar] {
    let (lo, hi) = (Scalar.pow(sigmaMin, 1 / rho), Scalar.pow(sigmaMax, 1 / rho))
    let ramp: [Scalar] = n == 1 ? [0] : (0..<n).map { Scalar($0) / Scalar(n - 1) }
    return ramp.map { Scalar.pow(hi + $0 * (lo - hi), rho) } + [0]
}

func refMatrix(_ rows: [[Double]]) -> Matrix<Double> { Matrix(rowArrays: rows) }

func refMaxAbsDifference<Scalar: MatrixScalar>(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>) -> Scalar {
    (a - b).maxAbs()
}

/// Data N(μ, s² I) under VE noise: D(x; σ) = μ + s²/(s² + σ²)·(x − μ), one flat loop (fast in
/// debug builds, for the statistical tests with many samples).
struct RefIsotropicGaussian<Scalar: MatrixScalar>: Denoiser {
    let mean: [Scalar]
    let std: Scalar
    var dimension: Int { mean.count }

    func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        let k = std * std / (std * std + sigma * sigma)
        var out = x.scalars
        let d = dimension
        for i in out.indices { out[i] = mean[i % d] + k * (out[i] - mean[i % d]) }
        return Matrix(rows: x.rows, columns: d, scalars: out)
    }
}

/// Per-column sample mean and (1/n) variance.
func refColumnMoments(_ x: Matrix<Double>) -> (mean: [Double], variance: [Double]) {
    let n = Double(x.rows)
    let mean = (0..<x.columns).map { j in (0..<x.rows).reduce(0.0) { $0 + x[$1, j] } / n }
    let variance = (0..<x.columns).map { j in (0..<x.rows).reduce(0.0) { $0 + (x[$1, j] - mean[j]) * (x[$1, j] - mean[j]) } / n }
    return (mean, variance)
}

/// Sample correlation of two equally long arrays.
func refCorrelation(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let (ma, mb) = (a.reduce(0, +) / n, b.reduce(0, +) / n)
    var (sab, saa, sbb) = (0.0, 0.0, 0.0)
    for (u, v) in zip(a, b) { sab += (u - ma) * (v - mb); saa += (u - ma) * (u - ma); sbb += (v - mb) * (v - mb) }
    return sab / (saa * sbb).squareRoot()
}
