/// Sums over pairs that MMD and the energy distance are made of, accumulated tile by tile:
/// `Σ k_s(a_i, b_j)` for the three RBF kernels of `RBFKernelFamily` and `Σ ‖a_i − b_j‖`.
///
/// Sums inside one tile row run in vector lanes of the data's precision (at most 64 terms per
/// lane); everything above that accumulates in Double.
struct PairSums<Scalar: MatrixScalar> {
    /// `−1/(8h²)`: the exponent factor of the widest kernel (scale 2), or nil to skip kernels.
    let widestExponent: Scalar?
    let withDistances: Bool
    /// Σ k_s over the pairs seen, for s = ½, 1, 2 (`RBFKernelFamily.scales` order).
    private(set) var kernelSums: [Double] = [0, 0, 0]
    /// Σ ‖a_i − b_j‖ over the pairs seen.
    private(set) var distanceSum: Double = 0
    private var scratch: [Scalar]

    init(kernel family: RBFKernelFamily?, withDistances: Bool) {
        widestExponent = family.map { Scalar(-1 / (8 * $0.bandwidth * $0.bandwidth)) }
        self.withDistances = withDistances
        scratch = [Scalar](repeating: 0, count: family == nil ? 0 : PairwiseDistanceSweep<Scalar>.block)
    }

    /// Adds every entry of the tile, `multiplicity` times.
    mutating func add(_ tile: DistanceTile<Scalar>) {
        var kernel: (Double, Double, Double) = (0, 0, 0)
        var distance = 0.0
        for r in 0..<tile.rows.count {
            let d2 = tile.row(r)
            if let widestExponent {
                let k = Self.kernelRowSums(d2, exponent: widestExponent, scratch: &scratch)
                kernel = (kernel.0 + k.0, kernel.1 + k.1, kernel.2 + k.2)
            }
            if withDistances { distance += sumOfSquareRoots(d2) }
        }
        let m = tile.multiplicity
        kernelSums[0] += m * kernel.0
        kernelSums[1] += m * kernel.1
        kernelSums[2] += m * kernel.2
        distanceSum += m * distance
    }

    /// The sums of two accumulators over disjoint pairs.
    mutating func merge(_ other: PairSums) {
        for s in 0..<3 { kernelSums[s] += other.kernelSums[s] }
        distanceSum += other.distanceSum
    }

    /// `(Σ e¹⁶, Σ e⁴, Σ e)` over a row (kernels of scale ½, 1, 2), with `e = exp(exponent · d²)` from the SIMD exp kernel.
    /// The scales ½, 1, 2 have exponents 16 : 4 : 1, so one exp and four squarings give all
    /// three kernels (relative error ≤ 16 × that of exp).
    @inline(__always)
    private static func kernelRowSums(
        _ d2: UnsafeBufferPointer<Scalar>, exponent: Scalar, scratch: inout [Scalar]
    ) -> (Double, Double, Double) {
        let n = d2.count
        return scratch.withUnsafeMutableBufferPointer { buffer -> (Double, Double, Double) in
            let e = buffer.baseAddress!, d = d2.baseAddress!
            for c in 0..<n { e[c] = d[c] * exponent }
            Scalar.kernelExp(e, e, n)
            var (narrow, unit, wide) = (SIMD8<Scalar>(), SIMD8<Scalar>(), SIMD8<Scalar>())
            var c = 0
            while c + 8 <= n {
                let v = UnsafeRawPointer(e + c).loadUnaligned(as: SIMD8<Scalar>.self)
                let v2 = v * v, v4 = v2 * v2, v8 = v4 * v4
                wide += v
                unit += v4
                narrow += v8 * v8
                c += 8
            }
            var (n0, n1, n2) = (Double(narrow.sum()), Double(unit.sum()), Double(wide.sum()))
            while c < n {
                let v = e[c], v4 = (v * v) * (v * v), v16 = (v4 * v4) * (v4 * v4)
                n0 += Double(v16); n1 += Double(v4); n2 += Double(v)
                c += 1
            }
            return (n0, n1, n2)
        }
    }
}
