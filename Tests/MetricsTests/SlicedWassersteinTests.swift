import Testing
@testable import ScoreKitMetrics

/// W₂² of two 1-D empirical measures on the common grid of (nm) equal quantile cells: both
/// quantile functions are constant on cell k = 0 … nm − 1, where they equal a[k / m] and b[k / n].
private func gridW2Squared(_ a: [Double], _ b: [Double]) -> Double {
    let (a, b) = (a.sorted(), b.sorted())
    let (n, m) = (a.count, b.count)
    var total = 0.0
    for k in 0..<(n * m) { total += (a[k / m] - b[k / n]) * (a[k / m] - b[k / n]) }
    return total / Double(n * m)
}

@Suite struct SlicedWassersteinTests {
    @Test func oneDimensionalEqualSizesIsTheSortedSampleFormula() throws {
        let x = gaussianSample(50, 1, seed: 20, as: Double.self), y = gaussianSample(50, 1, seed: 21, shift: 0.6, scale: 2, as: Double.self)
        let (a, b) = (x.scalars.sorted(), y.scalars.sorted())
        let expected = (zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 50).squareRoot()
        #expect(relativeError(try Metrics.slicedWasserstein2(x, y, seed: 3), expected) < 1e-13)
    }

    @Test func unequalSizesIntegrateTheQuantileFunctions() throws {
        // {0, 1} against {0, 1, 2}: the quantiles differ by 1 on (1/3, 1/2] and (2/3, 1]: W₂² = 1/6 + 1/3.
        let w2 = try Metrics.slicedWasserstein2(Matrix<Double>(column: [1, 0]), Matrix<Double>(column: [2, 0, 1]))
        #expect(abs(w2 - 0.5.squareRoot()) < 1e-15)
        let x = gaussianSample(13, 1, seed: 22, as: Double.self), y = gaussianSample(8, 1, seed: 23, shift: -1, as: Double.self)
        #expect(relativeError(try Metrics.slicedWasserstein2(x, y), gridW2Squared(x.scalars, y.scalars).squareRoot()) < 1e-13)
    }

    @Test func severalDimensionsAverageW2SquaredOverTheSeededDirections() throws {
        let x = gaussianSample(11, 3, seed: 24, as: Double.self), y = gaussianSample(7, 3, seed: 25, shift: 0.5, as: Double.self)
        let (directions, seed): (Int, UInt64) = (16, 99)
        // The directions documented: rows of CounterNormalRNG normals (draw 0), normalised.
        let z = CounterNormalRNG(seed: seed).normals(rows: directions, columns: 3, draw: 0, as: Double.self)
        var total = 0.0
        for l in 0..<directions {
            let theta = Array(z.row(l)), norm = theta.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
            func project(_ p: [Double]) -> Double { (0..<3).reduce(0.0) { $0 + p[$1] * theta[$1] } / norm }
            total += gridW2Squared(points(x).map(project), points(y).map(project))
        }
        let expected = (total / Double(directions)).squareRoot()
        #expect(relativeError(try Metrics.slicedWasserstein2(x, y, directions: directions, seed: seed), expected) < 1e-12)
        // Float runs see the same directions up to rounding.
        let w2f = try Metrics.slicedWasserstein2(x.converted(to: Float.self), y.converted(to: Float.self),
                                                 directions: directions, seed: seed)
        #expect(relativeError(w2f, expected) < 1e-5)
    }

    @Test func identicalSamplesAreAtDistanceZeroAndBadInputThrows() throws {
        let x = gaussianSample(300, 4, seed: 26, as: Float.self)
        #expect(try Metrics.slicedWasserstein2(x, x) == 0)
        #expect(throws: MetricsError.self) { try Metrics.slicedWasserstein2(x, x, directions: 0) }
        #expect(throws: MetricsError.dimensionMismatch(what: "reference", expected: 4, found: 2)) {
            try Metrics.slicedWasserstein2(x, gaussianSample(3, 2, seed: 27, as: Float.self))
        }
    }
}
