import Foundation
import Testing
@testable import ScoreKitExperiments

@Suite struct C1Tests {
    private let context = ExperimentContext(quick: true, seed: 7, cacheFolder: FileManager.default.temporaryDirectory)

    @Test func smallRunIsFiniteAndItsVerdictFollowsTheNumbers() throws {
        let r = try C1QuasiLinearTrajectories(steps: 12, batch: 3, digitsLimit: 40).run(context)
        #expect(r.id == "C1" && r.paper == .chen && r.figures.count == 4)
        #expect(r.numbers.count == 18 && r.numbers.values.allSatisfy(\.isFinite))
        for set in ["ring", "gmm64", "digits"] {
            let share = try #require(r.numbers["\(set).top2_pca_share"])
            #expect(share > 0 && share <= 1 + 1e-12)
            #expect(try #require(r.numbers["\(set).max_deviation_over_chord"]) >= 0)
        }
        // The criterion, recomputed from the reported numbers.
        let n = r.numbers
        let high = ["gmm64", "digits"]
        let a = high.allSatisfy { n["\($0).max_deviation_over_chord"]! <= 0.05 }
        let b = high.allSatisfy { n["\($0).share_of_steps_cos_above_0.95"]! >= 0.5 }
        let c = high.allSatisfy { n["\($0).top2_pca_share"]! > 0.99 }
        let d = high.allSatisfy { n["ring.max_deviation_over_chord"]! > n["\($0).max_deviation_over_chord"]! }
        let any = high.contains { n["\($0).max_deviation_over_chord"]! <= 0.05 || n["\($0).share_of_steps_cos_above_0.95"]! >= 0.5 || n["\($0).top2_pca_share"]! > 0.99 }
        #expect(r.verdict == (a && b && c && d ? .holds : (any ? .partlyHolds : .doesNotHold)))
    }

    /// The projection of a planar path is the path itself up to rotation: distances are kept.
    @Test func projectionKeepsDistancesOfAPlanarPath() {
        let angle = 0.7
        let planar: [(Double, Double)] = [(3, 0), (2, 0.5), (1, 0.6), (0.2, 0.1), (0, 0)]
        // Embedded in 5-D by a rotation in the (0, 3) plane plus an offset.
        let points = Matrix<Double>(rowArrays: planar.map { p in
            [cos(angle) * p.0 + 1, 2, -1, sin(angle) * p.0, p.1 + 0.5]
        })
        let (u, v) = C1QuasiLinearTrajectories.projection(points)
        for i in 0..<planar.count {
            for j in 0..<planar.count {
                let expected = hypot(planar[i].0 - planar[j].0, planar[i].1 - planar[j].1) / 3
                #expect(abs(hypot(u[i] - u[j], v[i] - v[j]) - expected) < 1e-12)
            }
        }
        #expect(abs(u[4]) < 1e-12 && abs(v[4]) < 1e-12 && u[0] > 0)
    }
}
