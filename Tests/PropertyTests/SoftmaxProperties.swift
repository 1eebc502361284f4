import PropertyBased
import ScoreKit
import Testing

/// Softmax and log-sum-exp (ScoreKitNumerics/Softmax.swift) against their defining properties
/// and a reference written in Double from the definition `m + log Σ exp(a − m)`.
@Suite struct SoftmaxProperties {
    static let shape = zip(Gen.int(in: 1...6), Gen.int(in: 1...40))

    @Test func softmaxRowsSumToOneAndLieInTheUnitInterval() async {
        await propertyCheck(count: 150, input: Self.shape, Gen.double(in: -2...3), Gens.seed) { shape, logScale, seed in
            let scale = Double.pow(10, logScale)
            let d: Matrix<Double> = Draw.matrix(shape.0, shape.1, seed: seed, scale: scale)
            let f: Matrix<Float> = d.converted()
            for (sd, sf) in zip(rowSums(d.softmaxRows()), rowSums(f.softmaxRows())) {
                #expect(Swift.abs(sd - 1) <= 1e-13 * Double(shape.1))
                #expect(Swift.abs(sf - 1) <= 1e-6 * Double(shape.1))
            }
            #expect(d.softmaxRows().scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(f.softmaxRows().scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    /// softmax(a + c·1ᵀ) = softmax(a) for any per-row constant c: the max shift cancels it exactly
    /// in exact arithmetic, so only the rounding of a + c (relative ε·|c|) remains.
    @Test func softmaxIsInvariantToAddingAConstantPerRow() async {
        await propertyCheck(count: 150, input: Self.shape, Gen.double(in: -3...3), Gens.seed) { shape, logShift, seed in
            let a: Matrix<Double> = Draw.matrix(shape.0, shape.1, seed: seed, scale: 5)
            let shifts = Draw.vector(shape.0, seed: seed, bound: Double.pow(10, logShift))
            let shifted = Matrix(rows: shape.0, columns: shape.1) { i, j in a[i, j] + shifts[i] }
            let bound = 4 * Double.ulpOfOne * (10 + shifts.map { Swift.abs($0) }.max()!) * 10
            #expect(maxDifference(shifted.softmaxRows(), a.softmaxRows()) <= bound)
            let af: Matrix<Float> = a.converted(), sf: Matrix<Float> = shifted.converted()
            #expect(maxDifference(sf.softmaxRows(), af.softmaxRows()) <= Double(Float.ulpOfOne) * (10 + shifts.map { Swift.abs($0) }.max()!) * 40)
        }
    }

    /// Entries up to ±10³⁰ (far past exp's overflow at ~709): the result is finite and equals
    /// the max-shifted sum evaluated independently.
    @Test func logSumExpNeverOverflowsAndMatchesTheShiftedReference() async {
        await propertyCheck(count: 150, input: Self.shape, Gen.double(in: -3...30), Gens.seed) { shape, logScale, seed in
            let scale = Double.pow(10, logScale)
            let d: Matrix<Double> = Draw.matrix(shape.0, shape.1, seed: seed, scale: scale / 4)
            let clamped = d.scalars.map { Swift.min(Swift.max($0, -1e30), 1e30) }
            let a = Matrix(rows: shape.0, columns: shape.1, scalars: clamped)
            let f: Matrix<Float> = a.converted()
            for i in 0..<shape.0 {
                let reference = shiftedLogSumExp(Array(a.row(i)))
                let got = a.logSumExpRows()[i]
                #expect(got.isFinite)
                #expect(Swift.abs(got - reference) <= 1e-14 * Swift.max(1, Swift.abs(reference)) * 4)
                let referenceF = shiftedLogSumExp(f.row(i).map { Double($0) })
                let gotF = Double(f.logSumExpRows()[i])
                #expect(gotF.isFinite)
                #expect(Swift.abs(gotF - referenceF) <= 1e-6 * Swift.max(1, Swift.abs(referenceF)) * 4)
            }
        }
    }
}

/// Row sums in Double (the reference for "sums to one").
private func rowSums<S: MatrixScalar>(_ m: Matrix<S>) -> [Double] {
    (0..<m.rows).map { i in m.row(i).reduce(0) { $0 + Double($1) } }
}

/// `m + log Σ exp(a − m)` with m the maximum: terms summed smallest first, in Double.
private func shiftedLogSumExp(_ a: [Double]) -> Double {
    let m = a.max()!
    return m + Double.log(a.map { Double.exp($0 - m) }.sorted().reduce(0, +))
}
