/// Per-sample noise addressed by (seed, sample, draw): draw `k` of sample `i` depends only on
/// (seed, i, k), so a run gives the same samples whatever its batch size, batch split, thread
/// count or order (DESIGN.md, "Noise source").
///
/// Layout (Philox4x32-10, `Philox4x32`): element j of draw k of sample i comes from word j mod 4 of
/// the block with key (seed mod 2³², seed / 2³²) and counter (j / 4, k, i mod 2³², i / 2³²). A word x
/// is the uniform u = (x + ½)·2⁻³², never 0 or 1. For normals, Box–Muller turns the words (x0, x1) of
/// block b into elements 4b, 4b + 1 as √(−2 ln u0)·(cos 2πu1, sin 2πu1), and (x2, x3) into 4b + 2,
/// 4b + 3 the same way; |z| < 6.8 always. A draw of d columns is the first d columns of any wider
/// draw.
///
/// Float and Double fills come from the same uniforms, each computed in its own precision (Float
/// to a few ulp, Double to about 1e-15), so a Float run sees the Double run's noise rounded. The
/// C kernels use portable polynomials and no fused operations: the bits are the same on every
/// machine. The normals and the uniforms of one (sample, draw) share their words: use different
/// draw indices when both are needed.
public struct CounterNormalRNG: Sendable, Hashable {
    public let seed: UInt64

    /// What a fill produces.
    public enum Distribution: Sendable {
        /// N(0, 1) per element, by Box–Muller.
        case standardNormal
        /// Uniform on (0, 1) per element (the words before Box–Muller).
        case uniform
    }

    public init(seed: UInt64) { self.seed = seed }

    /// Fills row r of `out` with draw `draw` of sample `firstSample + r`.
    /// Traps unless `draw` is in 0..<2³² and the sample indices are in 0...Int.max.
    public func fill<Scalar: MatrixScalar>(
        _ out: inout Matrix<Scalar>, with distribution: Distribution = .standardNormal,
        firstSample: Int = 0, draw: Int
    ) {
        precondition(firstSample >= 0 && firstSample <= Int.max - out.rows,
                     "sample indices \(firstSample)..<\(firstSample)+\(out.rows) out of range")
        kernelFill(&out, distribution, draw: draw, firstSample: UInt64(firstSample), samples: nil)
    }

    /// Fills row r of `out` with draw `draw` of sample `samples[r]`, in any order and with repeats.
    /// Traps unless there is one index per row, all ≥ 0, and `draw` is in 0..<2³².
    public func fill<Scalar: MatrixScalar>(
        _ out: inout Matrix<Scalar>, with distribution: Distribution = .standardNormal,
        samples: some Collection<Int>, draw: Int
    ) {
        precondition(samples.count == out.rows, "\(samples.count) sample indices for \(out.rows) rows")
        let indices = samples.map { i in
            precondition(i >= 0, "negative sample index \(i)")
            return UInt64(i)
        }
        indices.withUnsafeBufferPointer { p in
            kernelFill(&out, distribution, draw: draw, firstSample: 0, samples: p.baseAddress)
        }
    }

    /// Draw `draw` of samples `firstSample ..< firstSample + rows` as standard normals, one sample per row.
    public func normals<Scalar: MatrixScalar>(
        rows: Int, columns: Int, firstSample: Int = 0, draw: Int, as _: Scalar.Type = Scalar.self
    ) -> Matrix<Scalar> {
        var out = Matrix<Scalar>(uninitializedRows: rows, columns: columns)
        fill(&out, with: .standardNormal, firstSample: firstSample, draw: draw)
        return out
    }

    /// Draw `draw` of samples `firstSample ..< firstSample + rows` as uniforms on (0, 1), one sample per row.
    public func uniforms<Scalar: MatrixScalar>(
        rows: Int, columns: Int, firstSample: Int = 0, draw: Int, as _: Scalar.Type = Scalar.self
    ) -> Matrix<Scalar> {
        var out = Matrix<Scalar>(uninitializedRows: rows, columns: columns)
        fill(&out, with: .uniform, firstSample: firstSample, draw: draw)
        return out
    }

    /// Calls the C kernel of `Scalar`'s precision.
    private func kernelFill<Scalar: MatrixScalar>(
        _ out: inout Matrix<Scalar>, _ distribution: Distribution, draw: Int, firstSample: UInt64,
        samples: UnsafePointer<UInt64>?
    ) {
        precondition(draw >= 0 && draw <= Int(UInt32.max), "draw index \(draw) is not in 0..<2^32")
        let (rows, cols, seed, k) = (out.rows, out.columns, seed, UInt32(draw))
        out.scalars.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            Scalar.kernelPhilox(uniform: distribution == .uniform, seed: seed, draw: k, firstSample: firstSample,
                                samples: samples, base, rows: rows, cols: cols)
        }
    }
}
