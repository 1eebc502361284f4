import Testing
@testable import ScoreKitIO
import ScoreKitNumerics

@Suite("Synthetic data")
struct ToyDataTests {
    @Test func ringMixtureHasTheStatedMoments() throws {
        let ring = try IsotropicMixture<Double>.ring()
        let (x, comps) = ring.sample(count: 40_000, seed: 3)
        // Each point lies near its component's mean: squared distance / s² is χ²(2), mean 2.
        var chi = 0.0
        var counts = [Int](repeating: 0, count: 8)
        for i in 0..<x.rows {
            let k = comps[i]
            counts[k] += 1
            let dx = x[i, 0] - ring.means[k, 0], dy = x[i, 1] - ring.means[k, 1]
            chi += (dx * dx + dy * dy) / 0.01
        }
        #expect(abs(chi / Double(x.rows) - 2) < 0.05)
        // Component frequencies: each 1/8 within 5 standard errors.
        let se = (0.125 * 0.875 / 40_000).squareRoot()
        #expect(counts.allSatisfy { abs(Double($0) / 40_000 - 0.125) < 5 * se })
        // Means on the circle of radius 2.
        for k in 0..<8 { #expect(abs((ring.means[k, 0] * ring.means[k, 0] + ring.means[k, 1] * ring.means[k, 1]).squareRoot() - 2) < 1e-12) }
    }

    @Test func pointsDependOnlyOnSeedAndIndex() {
        for set in ToyDataset.allCases {
            let small = set.sample(count: 10, seed: 9, as: Float.self)
            let large = set.sample(count: 25, seed: 9, as: Float.self)
            #expect(small.scalars == Array(large.scalars.prefix(20)), "\(set)")
            #expect(set.sample(count: 10, seed: 10, as: Float.self) != small)
        }
    }

    @Test func geometryOfEachSet() {
        let board = ToyDataset.checkerboard.sample(count: 5000, seed: 1, as: Double.self)
        for i in 0..<board.rows {
            let c = Int((board[i, 0] + 2).rounded(.down)), r = Int((board[i, 1] + 2).rounded(.down))
            #expect((r + c) % 2 == 0 && (0..<4).contains(r) && (0..<4).contains(c))
        }
        let roll = ToyDataset.swissroll.sample(count: 5000, seed: 1, as: Double.self)
        let radii = (0..<roll.rows).map { (roll[$0, 0] * roll[$0, 0] + roll[$0, 1] * roll[$0, 1]).squareRoot() }
        // Radius t/5 with t ∈ [1.5π, 4.5π], blurred by noise of 0.1.
        #expect(radii.min()! > 1.5 * .pi / 5 - 0.5 && radii.max()! < 4.5 * .pi / 5 + 0.5)
        let moons = ToyDataset.moons.sample(count: 5000, seed: 1, as: Double.self)
        #expect(abs(moons.columnMeans()[0] - 0.5) < 0.05)   // the two moons are symmetric about x = 0.5
    }

    @Test func invalidMixturesAreRejected() {
        let m = Matrix<Double>(rows: 2, columns: 1, scalars: [0, 1])
        #expect(throws: IsotropicMixture<Double>.Invalid.self) {
            try IsotropicMixture(weights: [0.7, 0.7], means: m, standardDeviations: [1, 1])
        }
        #expect(throws: IsotropicMixture<Double>.Invalid.self) {
            try IsotropicMixture(weights: [1], means: m, standardDeviations: [1, 1])
        }
    }
}
