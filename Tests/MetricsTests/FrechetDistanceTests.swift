import Testing
@testable import ScoreKitMetrics

private func moments(_ mean: [Double], _ rows: [[Double]]) throws -> GaussianMoments {
    try GaussianMoments(mean: mean, covariance: Matrix(rowArrays: rows))
}

@Suite struct FrechetDistanceTests {
    @Test func diagonalCovariancesGiveTheSumOfSquaredRootDifferences() throws {
        let (a, b) = ([4.0, 1, 0.25, 9], [1.0, 1, 2.25, 0])
        let diag = { (v: [Double]) in (0..<4).map { i in (0..<4).map { $0 == i ? v[i] : 0 } } }
        let fd = try Metrics.frechetDistance(try moments([1, 2, 3, 4], diag(a)), try moments([0, 2, 5, 4], diag(b)))
        let expected = 1.0 + 4 + zip(a, b).reduce(0.0) { $0 + ($1.0.squareRoot() - $1.1.squareRoot()) * ($1.0.squareRoot() - $1.1.squareRoot()) }
        #expect(abs(fd - expected) < 1e-12)
    }

    @Test func commutingRotatedCovariancesMatchTheirEigenvalues() throws {
        // Σ₁ = R diag(a) Rᵀ, Σ₂ = R diag(b) Rᵀ share eigenvectors: FD = ‖Δμ‖² + Σ (√aᵢ − √bᵢ)².
        let (c, s) = (0.6, 0.8)
        func rotated(_ p: Double, _ q: Double) -> [[Double]] {
            [[c * c * p + s * s * q, c * s * (p - q)], [c * s * (p - q), s * s * p + c * c * q]]
        }
        let fd = try Metrics.frechetDistance(try moments([0, 0], rotated(9, 1)), try moments([3, 4], rotated(4, 16)))
        #expect(abs(fd - (25 + 1 + 9)) < 1e-12)
    }

    @Test func nonCommutingTwoByTwoMatchesTheClosedForm() throws {
        // In 2-D, tr √(Σ₁Σ₂) = √(tr(Σ₁Σ₂) + 2 √(det Σ₁ det Σ₂)), and tr (Σ₁^½ Σ₂ Σ₁^½)^½ = tr √(Σ₁Σ₂).
        let s1 = [[2.0, 0.7], [0.7, 1.0]], s2 = [[0.5, -0.3], [-0.3, 3.0]]
        let trProduct = s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0] + s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1]
        let det1 = s1[0][0] * s1[1][1] - s1[0][1] * s1[1][0], det2 = s2[0][0] * s2[1][1] - s2[0][1] * s2[1][0]
        let cross = (trProduct + 2 * (det1 * det2).squareRoot()).squareRoot()
        let expected = 0.25 + 1 + (2 + 1 + 0.5 + 3) - 2 * cross
        let fd = try Metrics.frechetDistance(try moments([0.5, 0], s1), try moments([0, 1], s2))
        #expect(abs(fd - expected) < 1e-12)
    }

    @Test func fitUsesTheUnbiasedCovariance() throws {
        let x = gaussianSample(9, 3, seed: 30, as: Float.self)
        let fit = try GaussianMoments.fit(x)
        let p = points(x)
        for i in 0..<3 { for j in 0..<3 {
            let mi = p.reduce(0.0) { $0 + $1[i] } / 9, mj = p.reduce(0.0) { $0 + $1[j] } / 9
            let cov = p.reduce(0.0) { $0 + ($1[i] - mi) * ($1[j] - mj) } / 8
            #expect(abs(fit.covariance[i, j] - cov) < 1e-12)
        } }
    }

    @Test func largeSamplesApproachThePopulationDistance() throws {
        // x ~ N((1, 0), diag(1, 4)), y ~ N((0, 0), I): FD = 1 + (2 − 1)² = 2.
        var g = SplitMix64(31)
        let x = Matrix<Double>(rows: 20000, columns: 2) { _, j in j == 0 ? 1 + g.normal() : 2 * g.normal() }
        let y = gaussianSample(20000, 2, seed: 32, as: Double.self)
        #expect(abs(try Metrics.frechetDistance(x, y) - 2) < 0.06)
    }

    @Test func rankDeficientAndDegenerateInputsStayFinite() throws {
        // A constant coordinate makes Σ singular; two points make it rank one.
        var x = gaussianSample(30, 3, seed: 33, as: Double.self)
        for i in 0..<30 { x[i, 2] = 5 }
        #expect(abs(try Metrics.frechetDistance(x, x)) < 1e-10)
        let two = gaussianSample(2, 3, seed: 34, as: Double.self)
        #expect(try Metrics.frechetDistance(two, x).isFinite)
        #expect(throws: MetricsError.tooFewSamples(what: "reference", count: 1, required: 2)) {
            try Metrics.frechetDistance(x, x.rows(0..<1))
        }
        #expect(throws: MetricsError.self) { try moments([0, 0], [[1, 2], [0, 1]]) }
    }
}
