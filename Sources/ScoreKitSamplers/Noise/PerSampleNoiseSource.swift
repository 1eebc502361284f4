/// Counter-based per-sample noise (DESIGN.md, "Noise source"): the sampler's k-th request returns
/// draw k of `CounterNormalRNG` for samples `firstSample ..< firstSample + B`, so row r depends only
/// on (seed, firstSample + r, k). A run split into batches (each with its `firstSample`) gives the
/// same samples as one big batch, whatever the batch size, order or thread count.
public struct PerSampleNoiseSource<Scalar: MatrixScalar>: NoiseSource, Sendable {
    public let rng: CounterNormalRNG
    /// The global index of the batch's first row.
    public let firstSample: Int
    /// The next draw index (`firstDraw` plus the requests served so far).
    public private(set) var drawsUsed = 0

    /// `firstDraw` reserves the draws below it for other uses of the same seed (the CLI takes the
    /// start noise from draw 0 and starts the sampler's draws at 1).
    public init(seed: UInt64, firstSample: Int = 0, firstDraw: Int = 0) throws {
        guard firstSample >= 0 else { throw SamplingError.invalidOption("first sample index \(firstSample) is negative") }
        guard firstDraw >= 0 else { throw SamplingError.invalidOption("first draw index \(firstDraw) is negative") }
        rng = CounterNormalRNG(seed: seed)
        self.firstSample = firstSample
        drawsUsed = firstDraw
    }

    public mutating func next(rows: Int, columns: Int, sigma: Scalar, sigmaNext: Scalar) throws -> Matrix<Scalar> {
        guard rows >= 0, columns >= 0, firstSample <= Int.max - rows else {
            throw SamplingError.noiseShape("\(rows)×\(columns) draw from sample \(firstSample)")
        }
        guard drawsUsed < Int(UInt32.max) else { throw SamplingError.noiseExhausted(available: Int(UInt32.max)) }
        defer { drawsUsed += 1 }
        return rng.normals(rows: rows, columns: columns, firstSample: firstSample, draw: drawsUsed)
    }
}
