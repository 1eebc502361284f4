/// Where a stochastic sampler's standard-normal draws come from.
///
/// Each call returns one B × d draw, in the order the sampler asks for them (k-diffusion's
/// `randn_like` and `noise_sampler(σ, σ_next)` calls). `sigma` and `sigmaNext` bound the time
/// interval of the draw; sources that are plain streams ignore them, Brownian-tree sources use them.
public protocol NoiseSource<Scalar> {
    associatedtype Scalar: MatrixScalar
    mutating func next(rows: Int, columns: Int, sigma: Scalar, sigmaNext: Scalar) throws -> Matrix<Scalar>
}

/// Replays draws from a K × B × d array (e.g. a `.npy` written by k-diffusion's reference runs):
/// call k returns slice k. This is how parity with k-diffusion's stochastic samplers is tested.
public struct ReplayNoiseSource<Scalar: MatrixScalar>: NoiseSource {
    public let draws: [Matrix<Scalar>]
    public private(set) var used = 0

    /// `values` holds `count` draws of `rows × columns` each, draw-major.
    public init(values: [Scalar], count: Int, rows: Int, columns: Int) throws {
        guard count >= 0, values.count == count * rows * columns else {
            throw SamplingError.noiseShape("\(values.count) values for \(count) draws of \(rows)×\(columns)")
        }
        let size = rows * columns
        draws = (0..<count).map { k in
            Matrix(rows: rows, columns: columns, scalars: Array(values[(k * size)..<((k + 1) * size)]))
        }
    }

    public mutating func next(rows: Int, columns: Int, sigma: Scalar, sigmaNext: Scalar) throws -> Matrix<Scalar> {
        guard used < draws.count else { throw SamplingError.noiseExhausted(available: draws.count) }
        let d = draws[used]
        guard d.rows == rows, d.columns == columns else {
            throw SamplingError.noiseShape("file draws are \(d.rows)×\(d.columns), the state is \(rows)×\(columns)")
        }
        used += 1
        return d
    }
}

/// For deterministic samplers: any draw request is a programming error surfaced as a typed error.
public struct NoNoise<Scalar: MatrixScalar>: NoiseSource {
    public init() {}
    public mutating func next(rows: Int, columns: Int, sigma: Scalar, sigmaNext: Scalar) throws -> Matrix<Scalar> {
        throw SamplingError.invalidOption("this sampler was given no noise source but needs one")
    }
}
