import Foundation
@_exported import ScoreKitTestSupport
import ScoreKitSamplers

/// Test support of the k-diffusion sampler tests, in a namespace so that other sampler test files
/// in this target can have their own helpers of the same names.
enum KDiff {
    /// The optimal denoiser of the empirical distribution of X (oracle README): the softmax-weighted
    /// mean of the training points with weights ∝ exp(−‖x − xⱼ‖²/(2σ²)), max-subtracted. Direct loops,
    /// independent of ScoreKitDenoisers.
    struct ReferenceEmpiricalDenoiser: Denoiser {
        let dimension: Int
        /// The N × d training points, row-major.
        let points: [Double]

        init(points rows: [[Double]]) {
            dimension = rows.first?.count ?? 0
            points = rows.flatMap { $0 }
        }

        func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> {
            bruteForceEmpiricalDenoise(x, points: points, dimension: dimension, sigma: sigma)
        }
    }

    /// The exact denoiser of Gaussian data N(0, s² I): D(x; σ) = s²/(s² + σ²) x. Its probability-flow
    /// ODE has the solution x(σ) = x(σ₀) √((s² + σ²)/(s² + σ₀²)).
    struct GaussianDenoiser<Scalar: MatrixScalar>: Denoiser {
        let variance: Scalar
        let dimension: Int

        func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
            x * (variance / (variance + sigma * sigma))
        }

        func exactSolution(_ x: Matrix<Scalar>, from sigma: Scalar, to sigmaEnd: Scalar) -> Matrix<Scalar> {
            x * ((variance + sigmaEnd * sigmaEnd) / (variance + sigma * sigma)).squareRoot()
        }
    }

    /// A noise source that records which (σ, σ′) each draw was asked for and returns a fixed pattern.
    struct RecordingNoise<Scalar: MatrixScalar>: NoiseSource {
        var requests: [(sigma: Scalar, sigmaNext: Scalar)] = []

        mutating func next(rows: Int, columns: Int, sigma: Scalar, sigmaNext: Scalar) throws -> Matrix<Scalar> {
            requests.append((sigma, sigmaNext))
            return Matrix(rows: rows, columns: columns) { i, j in Scalar(((i + 2 * j + requests.count) % 5) - 2) / 2 }
        }
    }

    /// Draws of zeros: a stochastic sampler then follows its deterministic part.
    struct ZeroNoise<Scalar: MatrixScalar>: NoiseSource {
        mutating func next(rows: Int, columns: Int, sigma: Scalar, sigmaNext: Scalar) throws -> Matrix<Scalar> {
            Matrix(rows: rows, columns: columns)
        }
    }

    // MARK: Oracle fixtures (scripts/fixtures/make_sampler_fixtures_kdiff.py)

    struct Inputs: Decodable {
        let X: [[Double]]
        let Z: [[Double]]
        let noise: [[[Double]]]
    }

    /// A float that JSON may spell "inf".
    struct JSONDouble: Decodable {
        let value: Double
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self), s == "inf" { value = .infinity } else { value = try c.decode(Double.self) }
        }
    }

    struct RunOptions: Decodable {
        let eta: Double?
        let s_noise: Double
        let s_churn: Double
        let s_tmin: JSONDouble
        let s_tmax: JSONDouble
        let lms_order: Int
        let sde_solver_type: String
        let sde_r: Double
        let noise: String
    }

    struct Run: Decodable {
        let id: String
        let sampler: String
        let options: RunOptions
        let sigmas: [Double]
        let nfe: Int
        let noise_draws_used: Int?
        let out: [[Double]]
        let trajectory: [[[Double]]]?
        let denoised: [[[Double]]]?

        /// The run's `ref_sample.py` options as ScoreKit options (η defaults to 1 as in k-diffusion).
        var kdiffusionOptions: KDiffusionOptions<Double> {
            get throws {
                guard let solver = SDESolverType(rawValue: options.sde_solver_type) else {
                    throw FixtureError.bad("solver type \(options.sde_solver_type)")
                }
                return KDiffusionOptions(
                    eta: options.eta ?? 1, sNoise: options.s_noise,
                    churn: Churn(sChurn: options.s_churn, sTmin: options.s_tmin.value, sTmax: options.s_tmax.value,
                                 sNoise: options.s_noise),
                    solverType: solver, lmsOrder: options.lms_order, r: options.sde_r)
            }
        }
    }

    struct LMSCoefficients: Decodable {
        let id: String
        let order: Int
        let sigmas: [Double]
        let coefficients: [[Double]]
    }

    struct Fixtures {
        let inputs: Inputs
        let runs: [String: Run]
        let lms: [LMSCoefficients]

        /// The first rows of Z scaled by σ₀: the start state of every run.
        func start(sigma0: Double) -> Matrix<Double> { Matrix(rowArrays: inputs.Z) * sigma0 }

        /// noise.npy[:, :rows, :] replayed in call order.
        func replayNoise() throws -> ReplayNoiseSource<Double> {
            let rows = inputs.noise.first?.count ?? 0
            let columns = inputs.noise.first?.first?.count ?? 0
            return try ReplayNoiseSource(values: inputs.noise.flatMap { $0.flatMap { $0 } },
                                         count: inputs.noise.count, rows: rows, columns: columns)
        }
    }

    enum FixtureError: Error { case missing(String), bad(String) }

    static func decode<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/kdiff") else {
            throw FixtureError.missing("Fixtures/kdiff/\(name).json")
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    /// Loaded once for all tests.
    static let fixtures = Result {
        Fixtures(inputs: try decode("inputs", as: Inputs.self),
                 runs: Dictionary(uniqueKeysWithValues: try decode("runs", as: [Run].self).map { ($0.id, $0) }),
                 lms: try decode("lms", as: [LMSCoefficients].self))
    }

    /// max |a − b| over all elements.
    static func maxAbsDifference(_ a: Matrix<Double>, _ b: [[Double]]) -> Double {
        let flat = b.flatMap { $0 }
        guard flat.count == a.scalars.count else { return .infinity }
        return zip(a.scalars, flat).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// The Karras et al. (2022) schedule (eq. 5) with a final 0, written out for the tests.
    static func karrasSigmas(steps n: Int, sigmaMin: Double = 0.002, sigmaMax: Double = 80, rho: Double = 7) -> [Double] {
        let a = Double.pow(sigmaMax, 1 / rho)
        let b = Double.pow(sigmaMin, 1 / rho)
        let ramp: (Int) -> Double = { i in Double(i) / Double(max(n - 1, 1)) }
        return (0..<n).map { i in Double.pow(a + ramp(i) * (b - a), rho) } + [0]
    }
}
