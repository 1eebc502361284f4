import Testing
@testable import ScoreKitAnalysis

@Suite("ODE dynamics of Kim's optimal field")
struct DynamicsTests {
    /// Two training points in d = 16 and NCSNv2-style levels 10 → 0.01 (L = 10).
    func twoPointField() throws -> (VectorField<Double>, Matrix<Double>) {
        let data = CounterNormalRNG(seed: 21).normals(rows: 2, columns: 16, draw: 0, as: Double.self)
        let levels = try Schedule<Double>.ncsnLevels(count: 10, sigmaBegin: 10, sigmaEnd: 0.01).sigmas
        let field = try MultiplicativeOptimalField(base: EmpiricalDenoiser(data: data), levels: levels)
        return (VectorField(field), data)
    }

    @Test("each training point has a stable equilibrium next to it with Jacobian ≈ −I/σ_min; the midpoint is a saddle")
    func twoTrainingPoints() throws {
        let (field, data) = try twoPointField()
        let midpoint = Matrix(row: zip(data.row(0), data.row(1)).map { ($0 + $1) / 2 })
        let nudged = data.addingToRows([Double](repeating: 0.003, count: 16))
        let starts = Matrix.vstack([data, nudged, midpoint])
        let equilibria = try EquilibriumSearch.run(field, starts: starts, trainingData: data)
        let stable = equilibria.filter { $0.stability == .stable }
        #expect(stable.count == 2)
        #expect(Set(stable.compactMap(\.nearestTrainingIndex)) == [0, 1])
        for e in stable {
            #expect(try #require(e.nearestTrainingDistance) < 1e-8)
            #expect(e.residual < 1e-9)
            #expect(e.hits == 2)
            // Jacobian ≈ σ_min ∇² log p_{σ_min} = −I/σ_min = −100 I (papers.md §1.4).
            #expect(e.eigenvalues.allSatisfy { abs($0 + 100) < 1 })
            #expect(e.asymmetry < 1e-4)
        }
        let saddle = try #require(equilibria.first { $0.stability == .saddle })
        #expect(distance(saddle.point, Array(midpoint.scalars)) < 1e-8)
        #expect(saddle.eigenvalues.filter { $0 > 0 }.count == 1)
        #expect(saddle.asymmetry < 1e-4)
    }

    @Test("basins of the two points are the half-spaces of the bisecting hyperplane")
    func basins() throws {
        let (field, data) = try twoPointField()
        let equilibria = try EquilibriumSearch.run(field, starts: data, trainingData: data)
        #expect(equilibria.count == 2)
        let starts = CounterNormalRNG(seed: 22).normals(rows: 12, columns: 16, draw: 0, as: Double.self) * 1.5
        let basins = try BasinSizes(field, equilibria: equilibria, starts: starts, step: 0.01, maxSteps: 2000,
                                    captureRadius: 1e-4)
        #expect(basins.unassigned == 0)
        #expect(basins.horizon < 20)
        #expect(basins.counts.reduce(0, +) == 12)
        // The reflection swapping the points maps f* to itself, so the bisector is invariant.
        let (a, b) = (Array(data.row(0)), Array(data.row(1)))
        for s in 0..<12 {
            let x = Array(starts.row(s))
            let closerToA = distance(x, a) < distance(x, b)
            let target = equilibria[basins.assignment[s]].nearestTrainingIndex
            #expect(target == (closerToA ? 0 : 1))
        }
    }

    @Test("central-difference Jacobian matches a linear field exactly")
    func jacobianOfLinearField() throws {
        let a = Matrix<Double>(rowArrays: [[-1, 2, 0], [0.5, -3, 1], [0, 0, -2]])
        let field = VectorField<Double>(dimension: 3) { Matrix.product($0, a, transposeB: true) }
        let j = try field.jacobian(at: [0.3, -1, 2], step: 1e-3)
        #expect((j - a).maxAbs() < 1e-10)
        // Its zero is the origin; J is not symmetric, so the asymmetry is reported.
        let found = try EquilibriumSearch.run(field, starts: Matrix(rowArrays: [[1, 1, 1], [-2, 0, 5]]))
        #expect(found.count == 1)
        #expect(found[0].point.allSatisfy { abs($0) < 1e-9 })
        #expect(found[0].asymmetry > 0.1)
    }
}
