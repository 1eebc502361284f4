import Testing
@testable import ScoreKitAnalysis

@Suite("Analysis input checks")
struct InputErrorTests {
    @Test("bad options throw AnalysisError instead of trapping")
    func badOptions() throws {
        let cost = [[0.0, 1], [0, 0]]
        #expect(throws: AnalysisError.self) { try GITS.search(cost: cost, steps: 2) }
        #expect(throws: AnalysisError.self) { try GITS.search(cost: cost, steps: 1, coefficient: .nan) }
        #expect(throws: AnalysisError.self) { try GITS.search(cost: [[0, 1]], steps: 1) }
        let data = Matrix<Double>(rowArrays: [[0, 1], [1, 0], [2, 2]])
        #expect(throws: AnalysisError.self) { try NoisedData(data: data, count: 1, seed: 0) }
        #expect(throws: AnalysisError.self) { try NoisedData(data: Matrix(rowArrays: [[.infinity, 0]]), count: 4, seed: 0) }
        let gaussian = try GaussianDenoiser(fitting: data)
        let points = try NoisedData(data: data, count: 3, seed: 0)
        #expect(throws: AnalysisError.self) {
            try TeleportationSigma(reference: gaussian, candidate: gaussian, points: points, grid: [1], threshold: 0)
        }
        #expect(throws: AnalysisError.self) {
            try ExplainedVariance.curves(reference: gaussian, candidates: [], points: points, sigmas: [-1])
        }
        #expect(throws: AnalysisError.self) { try PerturbedDenoiser(gaussian, delta: -1, kind: .constant, seed: 0) }
        let field = VectorField<Double>(dimension: 2) { $0 }
        #expect(throws: AnalysisError.self) { try EquilibriumSearch.run(field, starts: Matrix(rows: 1, columns: 3)) }
        #expect(throws: AnalysisError.self) {
            try BasinSizes(field, equilibria: [], starts: data, step: 0, maxSteps: 1, captureRadius: 1)
        }
        let wrongShape = VectorField<Double>(dimension: 2) { _ in Matrix(rows: 1, columns: 1) }
        #expect(throws: AnalysisError.self) { try wrongShape(data) }
    }
}
