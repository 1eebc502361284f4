/// The state of a streaming ("online") softmax over the training set for a block of query rows
/// (Milakov & Gimelshein 2018): per row the running maximum `m` of the logits, the running
/// `Σ exp(ℓ − m)` and, optionally, the running `Σ exp(ℓ − m) x_i`. When a new chunk raises the
/// maximum the sums are rescaled by `exp(m_old − m_new)`, so only a B × chunk block of logits ever
/// exists and the result equals the one-shot max-subtracted softmax up to rounding.
///
/// Logits are kept in *distance units* `v_i = σ² ℓ_i = x·x_i − ‖x_i‖²/2 + σ² log π_i` and divided
/// by σ² only inside the exponent, so nothing overflows as σ → 0 (the exponent goes to −∞, never
/// to ∞ − ∞).
///
/// The hot loops are pre-specialised for Float and Double (`@_specialize`): generic code called
/// from another module otherwise runs unspecialised, ~50× slower per element.
struct StreamingSoftmaxState<Scalar: MatrixScalar> {
    /// Running maximum of `v` per row (−∞ before any data).
    var maxima: [Scalar]
    /// Running `Σ exp((v − m)/σ²)` per row; at least 1 once a chunk has been seen.
    var sums: [Scalar]
    /// Running `Σ exp((v − m)/σ²) x_i` (rows × d), or rows × 0 when only the log-sum-exp is wanted.
    var weightedSums: Matrix<Scalar>

    init(rows: Int, dimension: Int, accumulatesMean: Bool) {
        maxima = [Scalar](repeating: -.infinity, count: rows)
        sums = [Scalar](repeating: 0, count: rows)
        weightedSums = Matrix(rows: rows, columns: accumulatesMean ? dimension : 0)
    }

    /// Folds in rows `range` of the training set `data` (row-major N × d), `chunkSize` rows at a time.
    ///
    /// - Parameters:
    ///   - queries: pointer to the rows × d block of (centred) query points.
    ///   - offsets: `−‖x_i‖²/2 + σ² log π_i` for every training row (indexed like `data`).
    ///   - inverseVariance: 1/σ².
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func accumulate(
        queries: UnsafePointer<Scalar>, data: UnsafePointer<Scalar>, dimension d: Int,
        range: Range<Int>, chunkSize: Int, offsets: UnsafePointer<Scalar>, inverseVariance: Scalar
    ) {
        let rows = maxima.count, width = weightedSums.columns
        guard rows > 0, !range.isEmpty else { return }
        var logits = [Scalar](repeating: 0, count: rows * Swift.min(chunkSize, range.count))
        withBuffers { maxima, sums, weighted in
            logits.withUnsafeMutableBufferPointer { lbuf in
                let l = lbuf.baseAddress!
                for c0 in stride(from: range.lowerBound, to: range.upperBound, by: chunkSize) {
                    let c = Swift.min(chunkSize, range.upperBound - c0)
                    let chunk = data + c0 * d
                    // Cross terms x·x_i for the whole block by one GEMM (rows × c).
                    Scalar.blasGemm(transA: false, transB: true, m: rows, n: c, k: d, alpha: 1,
                                    a: queries, lda: d, b: chunk, ldb: d, beta: 0, c: l, ldc: c)
                    for b in 0..<rows {
                        Self.foldRow(l + b * c, count: c, offsets: offsets + c0, inverseVariance: inverseVariance,
                                     maximum: &maxima[b], sum: &sums[b], weightedSum: weighted.baseAddress.map { $0 + b * width },
                                     width: width)
                    }
                    // Σ_i exp(·) x_i for the chunk by one GEMM, added to the (rescaled) running sums.
                    guard let w = weighted.baseAddress, width > 0 else { continue }
                    Scalar.blasGemm(transA: false, transB: false, m: rows, n: d, k: c, alpha: 1,
                                    a: l, lda: c, b: chunk, ldb: d, beta: 1, c: w, ldc: d)
                }
            }
        }
    }

    /// Turns one row of cross terms into the exponentials `exp((v − m_new)/σ²)` in place and updates
    /// the row's maximum, sum and (rescaled) weighted sum.
    @inline(__always)
    private static func foldRow(
        _ row: UnsafeMutablePointer<Scalar>, count c: Int, offsets: UnsafePointer<Scalar>, inverseVariance: Scalar,
        maximum: inout Scalar, sum: inout Scalar, weightedSum: UnsafeMutablePointer<Scalar>?, width: Int
    ) {
        var chunkMax = -Scalar.infinity
        for i in 0..<c {
            let v = row[i] + offsets[i]
            row[i] = v
            chunkMax = Swift.max(chunkMax, v)
        }
        let newMax = Swift.max(maximum, chunkMax)
        guard newMax > -.infinity else {  // only zero-weight points so far: they contribute nothing
            for i in 0..<c { row[i] = 0 }
            return
        }
        for i in 0..<c { row[i] = (row[i] - newMax) * inverseVariance }
        Scalar.kernelExp(row, row, c)
        var s: Scalar = 0
        for i in 0..<c { s += row[i] }
        let factor = Scalar.exp((maximum - newMax) * inverseVariance)  // exp(−∞) = 0 on the first chunk
        if factor != 1, let weightedSum { for j in 0..<width { weightedSum[j] *= factor } }
        sum = sum * factor + s
        maximum = newMax
    }

    /// Combines the states of two disjoint parts of the training set (the same query rows).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func merge(_ other: StreamingSoftmaxState, inverseVariance: Scalar) {
        let width = weightedSums.columns
        withBuffers { maxima, sums, weighted in
            for b in 0..<maxima.count {
                let newMax = Swift.max(maxima[b], other.maxima[b])
                guard newMax > -.infinity else { continue }  // neither part has seen data
                let mine = Scalar.exp((maxima[b] - newMax) * inverseVariance)
                let theirs = Scalar.exp((other.maxima[b] - newMax) * inverseVariance)
                sums[b] = mine * sums[b] + theirs * other.sums[b]
                maxima[b] = newMax
                for j in (b * width)..<((b + 1) * width) {
                    weighted[j] = mine * weighted[j] + theirs * other.weightedSums.scalars[j]
                }
            }
        }
    }

    /// The three buffers at once (disjoint stored properties, so the accesses do not conflict).
    @inline(__always)
    private mutating func withBuffers<R>(
        _ body: (UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>) -> R
    ) -> R {
        maxima.withUnsafeMutableBufferPointer { m in
            sums.withUnsafeMutableBufferPointer { s in
                weightedSums.scalars.withUnsafeMutableBufferPointer { w in body(m, s, w) }
            }
        }
    }
}
