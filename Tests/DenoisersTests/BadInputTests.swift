import Foundation
import Testing
import ScoreKitDenoisers

extension DenoiserError {
    /// The case without its payload, for matching errors whose payload holds computed numbers.
    var caseName: String {
        switch self {
        case .dimensionMismatch: "dimensionMismatch"
        case .invalidSigma: "invalidSigma"
        case .nonFiniteInput: "nonFiniteInput"
        case .emptyTrainingSet: "emptyTrainingSet"
        case .nonFiniteParameters: "nonFiniteParameters"
        case .invalidWeights: "invalidWeights"
        case .invalidCovariance: "invalidCovariance"
        case .shapeMismatch: "shapeMismatch"
        case .invalidArgument: "invalidArgument"
        case .fitFailed: "fitFailed"
        case .component(let index, let inner): "component(\(index), \(inner.caseName))"
        case .numerics: "numerics"
        }
    }
}

/// Expects `body` to throw a `DenoiserError` of case `name` whose description is one line.
func expectError<T>(_ name: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T) {
    do {
        _ = try body()
        Issue.record("expected \(name), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DenoiserError {
        #expect(error.caseName == name, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.description.isEmpty && !error.description.contains("\n"), sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(name), got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Bad input")
struct BadInputTests {
    static let points = Matrix<Double>(rowArrays: [[0, 0], [1, 0], [0, 2]])
    static let good = Matrix<Double>(rowArrays: [[0.5, 0.5]])

    /// Every model rejects a wrong width, a bad σ and non-finite input with the same typed errors.
    func checkCall(_ call: (Matrix<Double>, Double) throws -> Any) {
        #expect(throws: DenoiserError.dimensionMismatch(expected: 2, got: 3)) { try call(Matrix(rows: 1, columns: 3), 1) }
        for sigma in [0, -1, Double.nan, .infinity] { expectError("invalidSigma") { try call(Self.good, sigma) } }
        #expect(throws: DenoiserError.nonFiniteInput) { try call(Matrix(rowArrays: [[0, .nan]]), 1) }
        #expect(throws: DenoiserError.nonFiniteInput) { try call(Matrix(rowArrays: [[.infinity, 0]]), 1) }
        #expect(throws: Never.self) { _ = try call(Matrix(rows: 0, columns: 2), 1) }  // an empty batch is fine
    }

    @Test func everyModelValidatesItsInput() throws {
        let empirical = try EmpiricalDenoiser(data: Self.points)
        let gaussian = try GaussianDenoiser(fitting: Self.points)
        let mixture = try GaussianMixtureDenoiser(weights: [0.5, 0.5], means: Self.points.rows(0..<2),
                                                  covariances: [.identity(2), .identity(2)])
        let field = try MultiplicativeOptimalField(base: empirical, levels: [1, 0.1])
        for model in [AnyModel(empirical), AnyModel(gaussian), AnyModel(try gaussian.lowRank(1)), AnyModel(mixture)] {
            checkCall { try model.denoise($0, $1) }
            checkCall { try model.logDensity($0, $1) }
            checkCall { try model.both($0, $1) }
        }
        checkCall { try field.denoise($0, sigma: $1) }
        checkCall { try gaussian.flow($0, from: $1, to: 0.5) }
        expectError("invalidSigma") { try gaussian.flow(Self.good, from: 1, to: -0.1) }
        expectError("invalidSigma") { try gaussian.flow(Self.good, from: 1, to: .nan) }
        #expect(throws: DenoiserError.dimensionMismatch(expected: 2, got: 3)) { try field.field(Matrix(rows: 1, columns: 3)) }
    }

    @Test func empiricalConstruction() {
        #expect(throws: DenoiserError.emptyTrainingSet) { try EmpiricalDenoiser(data: Matrix<Double>(rows: 0, columns: 2)) }
        #expect(throws: DenoiserError.emptyTrainingSet) { try EmpiricalDenoiser(data: Matrix<Float>(rows: 3, columns: 0)) }
        expectError("nonFiniteParameters") { try EmpiricalDenoiser(data: Matrix<Double>(rowArrays: [[0, .nan]])) }
        expectError("shapeMismatch") { try EmpiricalDenoiser(data: Self.points, weights: [1, 2]) }
        expectError("invalidWeights") { try EmpiricalDenoiser(data: Self.points, weights: [1, -1, 1]) }
        expectError("invalidWeights") { try EmpiricalDenoiser(data: Self.points, weights: [0, 0, 0]) }
        expectError("invalidWeights") { try EmpiricalDenoiser(data: Self.points, weights: [1, .nan, 1]) }
        expectError("invalidArgument") { try EmpiricalDenoiser(data: Self.points, chunkSize: 0) }
    }

    @Test func gaussianConstruction() throws {
        expectError("shapeMismatch") { try GaussianDenoiser<Double>(mean: [], covariance: Matrix(rows: 0, columns: 0)) }
        expectError("shapeMismatch") { try GaussianDenoiser<Double>(mean: [0, 0], covariance: .identity(3)) }
        expectError("nonFiniteParameters") { try GaussianDenoiser<Double>(mean: [0, .infinity], covariance: .identity(2)) }
        expectError("nonFiniteParameters") { try GaussianDenoiser<Double>(mean: [0, 0], covariance: Matrix(rowArrays: [[1, 0], [0, .nan]])) }
        expectError("invalidCovariance") { try GaussianDenoiser<Double>(mean: [0, 0], covariance: Matrix(rowArrays: [[1, 0.5], [0, 1]])) }
        expectError("invalidCovariance") { try GaussianDenoiser<Double>(mean: [0, 0], covariance: Matrix(rowArrays: [[1, 2], [2, 1]])) }
        expectError("emptyTrainingSet") { try GaussianDenoiser(fitting: Matrix<Double>(rows: 0, columns: 2)) }
        expectError("invalidArgument") { try GaussianDenoiser(fitting: Self.points, shrinkage: 1.5) }
        expectError("invalidArgument") { try GaussianDenoiser<Double>.isotropic(mean: [0], variance: -1) }
        let model = try GaussianDenoiser(fitting: Self.points)
        expectError("invalidArgument") { try model.lowRank(3) }
        expectError("invalidArgument") { try model.lowRank(-1) }
        expectError("invalidArgument") { try model.lowRank(1).lowRank(2) }
    }

    @Test func mixtureConstruction() {
        let means = Matrix<Double>(rowArrays: [[0, 0], [1, 1]])
        let identity = Matrix<Double>.identity(2)
        expectError("shapeMismatch") { try GaussianMixtureDenoiser<Double>(weights: [], means: Matrix(rows: 0, columns: 2), covariances: []) }
        expectError("shapeMismatch") { try GaussianMixtureDenoiser(weights: [1], means: means, covariances: [identity]) }
        expectError("shapeMismatch") { try GaussianMixtureDenoiser(weights: [0.5, 0.5], means: means, covariances: [identity]) }
        expectError("shapeMismatch") { try GaussianMixtureDenoiser(weights: [0.5, 0.5], means: means, stackedCovariances: [1, 0, 0, 1]) }
        expectError("invalidWeights") { try GaussianMixtureDenoiser(weights: [0.5, 0.4], means: means, covariances: [identity, identity]) }
        expectError("invalidWeights") { try GaussianMixtureDenoiser(weights: [1.5, -0.5], means: means, covariances: [identity, identity]) }
        expectError("component(1, invalidCovariance)") {
            try GaussianMixtureDenoiser(weights: [0.5, 0.5], means: means, covariances: [identity, identity * -1])
        }
        expectError("component(0, shapeMismatch)") {
            try GaussianMixtureDenoiser(weights: [0.5, 0.5], means: means, covariances: [.identity(3), identity])
        }
        expectError("component(0, nonFiniteParameters)") {
            try GaussianMixtureDenoiser(weights: [0.5, 0.5], means: Matrix(rowArrays: [[0, .nan], [1, 1]]), covariances: [identity, identity])
        }
    }

    @Test func emFitting() {
        var g = SplitMix64(seed: 61)
        let repeated = Matrix<Double>(rowArrays: [[1, 1], [1, 1], [1, 1], [2, 2]])
        expectError("emptyTrainingSet") { try GaussianMixtureDenoiser.fit(Matrix<Double>(rows: 0, columns: 2), components: 1, using: &g) }
        expectError("invalidArgument") { try GaussianMixtureDenoiser.fit(Self.points, components: 0, using: &g) }
        expectError("invalidArgument") { try GaussianMixtureDenoiser.fit(Self.points, components: 4, using: &g) }
        expectError("invalidArgument") {
            try GaussianMixtureDenoiser.fit(Self.points, components: 1, options: EMOptions(regularization: 0), using: &g)
        }
        expectError("invalidArgument") {
            try GaussianMixtureDenoiser.fit(Self.points, components: 1, options: EMOptions(tolerance: -1), using: &g)
        }
        expectError("fitFailed") { try GaussianMixtureDenoiser.fit(repeated, components: 3, using: &g) }
        expectError("nonFiniteParameters") {
            try GaussianMixtureDenoiser.fit(Matrix<Double>(rowArrays: [[0, 1], [.nan, 1]]), components: 1, using: &g)
        }
    }

    @Test func fieldConstruction() throws {
        let base = try EmpiricalDenoiser(data: Self.points)
        expectError("invalidArgument") { try MultiplicativeOptimalField(base: base, levels: []) }
        expectError("invalidSigma") { try MultiplicativeOptimalField(base: base, levels: [1, 0]) }
        expectError("invalidSigma") { try MultiplicativeOptimalField(base: base, levels: [.infinity]) }
        expectError("invalidWeights") { try MultiplicativeOptimalField(base: base, levels: [1, 0.1], levelWeights: [1, -1]) }
        expectError("shapeMismatch") { try MultiplicativeOptimalField(base: base, levels: [1, 0.1], levelWeights: [1]) }
    }
}

/// Type erasure over the density models so one loop can call them all.
struct AnyModel {
    let denoise: (Matrix<Double>, Double) throws -> Matrix<Double>
    let logDensity: (Matrix<Double>, Double) throws -> [Double]
    let both: (Matrix<Double>, Double) throws -> (denoised: Matrix<Double>, logDensity: [Double])
    init<M: DensityModel>(_ model: M) where M.Scalar == Double {
        denoise = { try model.denoise($0, sigma: $1) }
        logDensity = { try model.logDensity($0, sigma: $1) }
        both = { try model.denoiseWithLogDensity($0, sigma: $1) }
    }
}
