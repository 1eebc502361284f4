import Foundation
@_exported import ScoreKitTestSupport
import ScoreKitSamplers

/// Test support of the multistep sampler tests (DPM-Solver fast/adaptive, UniPC, DPM-Solver++(3M),
/// iPNDM), in a namespace so other sampler test files can have helpers of the same names.
enum Multistep {
    /// The optimal denoiser of the empirical distribution of X (oracle README): the softmax-weighted
    /// mean of the training points, weights ∝ exp(−‖x − xⱼ‖²/(2σ²)), max-subtracted. Direct loops.
    struct EmpiricalDenoiser: Denoiser {
        let dimension: Int
        private let flat: [Double]  // the points, row-major, so the debug-build loop stays fast

        init(points: [[Double]]) {
            dimension = points.first?.count ?? 0
            flat = points.flatMap { $0 }
        }

        func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> {
            bruteForceEmpiricalDenoise(x, points: flat, dimension: dimension, sigma: sigma)
        }
    }

    /// The posterior mean of 2-D Gaussian data N(μ, Σ): D = μ + Σ (Σ + σ² I)⁻¹ (x − μ), with the
    /// 2 × 2 inverse in closed form (the oracle uses an eigendecomposition: same map, other rounding).
    struct Gaussian2DDenoiser: Denoiser {
        let mean: [Double]
        let covariance: [[Double]]
        var dimension: Int { 2 }

        func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> {
            let (a, b, c) = (covariance[0][0], covariance[0][1], covariance[1][1])
            let s2 = sigma * sigma
            let det = (a + s2) * (c + s2) - b * b
            // K = Σ (Σ + σ²I)⁻¹, with (Σ + σ²I)⁻¹ = [[c+σ², −b], [−b, a+σ²]]/det
            let k00 = (a * (c + s2) - b * b) / det, k01 = (-a * b + b * (a + s2)) / det
            let k10 = (b * (c + s2) - c * b) / det, k11 = (-b * b + c * (a + s2)) / det
            return Matrix(rows: x.rows, columns: 2) { i, j in
                let u = x.scalars[2 * i] - mean[0], v = x.scalars[2 * i + 1] - mean[1]
                return mean[j] + (j == 0 ? k00 * u + k01 * v : k10 * u + k11 * v)
            }
        }
    }

    /// The exact denoiser of isotropic Gaussian data N(0, s² I): D(x; σ) = s²/(s² + σ²) x. Its
    /// probability-flow ODE has the solution x(σ) = x(σ₀) √((s² + σ²)/(s² + σ₀²)).
    struct IsotropicGaussianDenoiser<Scalar: MatrixScalar>: Denoiser {
        let variance: Scalar
        let dimension: Int

        func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
            x * (variance / (variance + sigma * sigma))
        }

        func exactSolution(_ x: Matrix<Scalar>, from sigma: Scalar, to sigmaEnd: Scalar) -> Matrix<Scalar> {
            x * ((variance + sigmaEnd * sigmaEnd) / (variance + sigma * sigma)).squareRoot()
        }
    }

    /// The two denoisers of the oracle runs this suite reproduces.
    enum OracleDenoiser: Denoiser {
        case empirical(EmpiricalDenoiser)
        case gaussian(Gaussian2DDenoiser)

        var dimension: Int { 2 }

        func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> {
            switch self {
            case .empirical(let d): return try d.denoise(x, sigma: sigma)
            case .gaussian(let d): return try d.denoise(x, sigma: sigma)
            }
        }
    }

    /// Returns a fixed pattern and counts the draws.
    struct CountingNoise: NoiseSource {
        var draws = 0
        mutating func next(rows: Int, columns: Int, sigma: Double, sigmaNext: Double) throws -> Matrix<Double> {
            draws += 1
            return Matrix(rows: rows, columns: columns) { i, j in Double((i + 2 * j + draws) % 5 - 2) / 2 }
        }
    }

    // MARK: Oracle fixtures (scripts/fixtures/make_sampler_fixtures_multistep.py)

    struct Inputs: Decodable {
        let X: [[Double]]
        let Z: [[Double]]
        let gaussianMean: [Double]
        let gaussianCovariance: [[Double]]
    }

    struct Settings: Decodable {
        let sampler: String
        let order: Int?
        let variant: String?
        let corrector: Bool?
        let nfe: Int?
        let rtol: Double?
        let atol: Double?
    }

    struct AdaptiveInfo: Decodable {
        let steps: Int
        let nfe: Int
        let n_accept: Int
        let n_reject: Int
    }

    struct Run: Decodable {
        let id: String
        let denoiser: String
        let settings: Settings
        let sigmas: [Double]
        let sigmaMin: Double
        let sigmaMax: Double
        let nfe: Int
        let rows: Int
        let output: [[Double]]
        let adaptiveInfo: AdaptiveInfo?
        let trajectory: [[[Double]]]?
        let denoised: [[[Double]]]?
    }

    struct Fixtures {
        let inputs: Inputs
        let runs: [Run]

        func runs(sampler: String) -> [Run] { runs.filter { $0.settings.sampler == sampler } }

        /// The run's denoiser, built from the fixture's X or Gaussian parameters.
        func denoiser(for run: Run) -> OracleDenoiser {
            run.denoiser == "gaussian"
                ? .gaussian(Gaussian2DDenoiser(mean: inputs.gaussianMean, covariance: inputs.gaussianCovariance))
                : .empirical(EmpiricalDenoiser(points: inputs.X))
        }

        /// The run's start state: the first `rows` rows of Z times `scale` (σ₀ or σ_max).
        func start(for run: Run, scale: Double) -> Matrix<Double> {
            Matrix(rowArrays: Array(inputs.Z.prefix(run.rows))) * scale
        }
    }

    static let fixtures: Fixtures? = {
        func load<T: Decodable>(_ name: String) -> T? {
            guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/multistep"),
                  let data = try? Data(contentsOf: url) else { return nil }
            return try? JSONDecoder().decode(T.self, from: data)
        }
        guard let inputs: Inputs = load("inputs"), let runs: [Run] = load("runs") else { return nil }
        return Fixtures(inputs: inputs, runs: runs)
    }()

    static func matrix(_ rows: [[Double]]) -> Matrix<Double> { Matrix(rowArrays: rows) }

    /// max |a − b| over all elements.
    static func maxAbsDifference<Scalar: MatrixScalar>(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>) -> Scalar {
        zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// A geometric schedule from σ_max to σ_min with `steps` steps (no final 0).
    static func geometricSigmas(from sigmaMax: Double, to sigmaMin: Double, steps: Int) -> [Double] {
        (0...steps).map { i in sigmaMax * Foundation.pow(sigmaMin / sigmaMax, Double(i) / Double(steps)) }
    }

    /// Observed convergence order from errors at step counts n, 2n, 4n: log₂ of the last ratio.
    static func observedOrder(_ errors: [Double]) -> Double {
        Foundation.log2(errors[errors.count - 2] / errors[errors.count - 1])
    }
}
