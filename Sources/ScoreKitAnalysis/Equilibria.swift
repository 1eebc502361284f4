/// Stability of an equilibrium from the eigenvalues of its (symmetrised) Jacobian.
public enum Stability: String, Codable, Sendable {
    /// Every eigenvalue < 0: exponentially attracting.
    case stable
    /// Every eigenvalue > 0: repelling.
    case unstable
    /// Eigenvalues of both signs.
    case saddle
    /// Some eigenvalue is 0 up to `zeroTolerance` × the largest |eigenvalue|: linearisation decides nothing.
    case nonHyperbolic = "non_hyperbolic"
}

/// One zero of the field with its linearisation (papers.md §1.4, Kim reconstruction [I, N]).
///
/// **Why a symmetric eigensolver suffices for f\*.** With g_i = ∇log p_{σ_i}, H_i = ∇²log p_{σ_i} and
/// the level posterior w_i, f* = Σ_i w_i σ_i g_i and ∇w_i = w_i (g_i − ḡ) with ḡ = Σ_j w_j g_j, so
///
///     J = Σ_i w_i σ_i (H_i + g_i g_iᵀ) − (Σ_i w_i σ_i g_i) ḡᵀ,
///
/// whose last term is f* ḡᵀ and vanishes at an equilibrium: **J(y\*) is symmetric** (f* itself is
/// not a gradient field). The finite-difference J is symmetrised and `asymmetry` = max|J − Jᵀ| /
/// max|J| reports the discretisation error. For other fields (a learned f) a large asymmetry means
/// the eigenvalues below are those of the symmetric part, whose largest bounds the real parts of
/// the true spectrum from above (numerical range): `stable` stays a valid sufficient verdict.
public struct Equilibrium: Codable, Sendable, Equatable {
    public let point: [Double]
    /// max |f(point)|.
    public let residual: Double
    /// Eigenvalues of (J + Jᵀ)/2, ascending (LAPACK `syevd`).
    public let eigenvalues: [Double]
    public let asymmetry: Double
    public let stability: Stability
    /// Distance to the nearest training point and its row, when training data were given.
    public let nearestTrainingDistance: Double?
    public let nearestTrainingIndex: Int?
    /// How many starts converged here.
    public let hits: Int
}

/// Options of `EquilibriumSearch`.
public struct EquilibriumSearchOptions: Codable, Sendable, Equatable {
    /// Levenberg–Marquardt iterations per start.
    public var maxIterations: Int
    /// Converged when max |f| ≤ this.
    public var tolerance: Double
    /// Converged points closer than this (Euclidean) are one equilibrium.
    public var mergeDistance: Double
    /// Central-difference step for Jacobians (choose ≈ ε^{1/3} × the field's length scale; for f*
    /// the length scale is σ_min, hence the default 6e-6 suits Double with σ_min ≳ 0.01).
    public var jacobianStep: Double
    /// |eigenvalue| ≤ this × max |eigenvalue| counts as 0.
    public var zeroTolerance: Double

    public init(maxIterations: Int = 100, tolerance: Double = 1e-9, mergeDistance: Double = 1e-6,
                jacobianStep: Double = 6e-6, zeroTolerance: Double = 1e-6) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.mergeDistance = mergeDistance
        self.jacobianStep = jacobianStep
        self.zeroTolerance = zeroTolerance
    }
}

/// Finds the equilibria f(y*) = 0 of an autonomous field from many starts (papers.md §1.5 K1:
/// "Newton from each y_j and from a grid"), by damped Newton: Levenberg–Marquardt steps
/// `Δ = −(JᵀJ + μI)⁻¹ Jᵀ f` through the LAPACK eigendecomposition of JᵀJ (J by central
/// differences; J need not be symmetric away from equilibria), μ divided by 3 after a step that
/// lowers ‖f‖ and multiplied by 4 until one does. Converged points are merged, then each is
/// linearised and classified (`Equilibrium`).
public enum EquilibriumSearch {
    public static func run<Scalar>(_ field: VectorField<Scalar>, starts: Matrix<Scalar>,
                                   trainingData: Matrix<Scalar>? = nil,
                                   options: EquilibriumSearchOptions = .init()) throws(AnalysisError) -> [Equilibrium] {
        try validate(options)
        guard starts.columns == field.dimension && starts.rows >= 1 && starts.isFinite else {
            throw .invalidInput("starts must be finite rows in the field's \(field.dimension) dimensions")
        }
        if let data = trainingData, data.columns != field.dimension || data.rows == 0 {
            throw .invalidInput("training data must be non-empty rows in \(field.dimension) dimensions")
        }
        var found = [(point: [Scalar], hits: Int)]()
        for s in 0..<starts.rows {
            guard let point = try newton(field, from: Array(starts.row(s)), options) else { continue }
            if let k = found.firstIndex(where: { distance($0.point, point) <= options.mergeDistance }) {
                found[k].hits += 1
            } else {
                found.append((point, 1))
            }
        }
        return try found.map { (point, hits) throws(AnalysisError) in
            try linearise(field, at: point, hits: hits, trainingData: trainingData, options: options)
        }
    }

    static func validate(_ o: EquilibriumSearchOptions) throws(AnalysisError) {
        guard o.maxIterations >= 1, o.tolerance > 0, o.mergeDistance >= 0, o.jacobianStep > 0, o.zeroTolerance >= 0 else {
            throw .invalidArgument("equilibrium search needs maxIterations ≥ 1, tolerance > 0, jacobianStep > 0")
        }
    }

    /// The converged point from `start`, or nil if LM stalls or runs out of iterations.
    static func newton<Scalar>(_ field: VectorField<Scalar>, from start: [Scalar],
                               _ options: EquilibriumSearchOptions) throws(AnalysisError) -> [Scalar]? {
        let h = Scalar(options.jacobianStep)
        var y = start
        var f = Array(try field(Matrix(row: y)).scalars)
        var mu: Scalar = 0
        for _ in 0..<options.maxIterations {
            if maxAbs(f) <= options.tolerance { return y }
            let j = try field.jacobian(at: y, step: h)
            let normal = Matrix.product(j, transposeA: true, j)
            let gradient = Matrix.product(j, transposeA: true, Matrix(column: f)).scalars
            let eigen: SymmetricEigendecomposition<Scalar>
            do { eigen = try normal.symmetricEigen() } catch { throw .underlying("Newton step: \(error)") }
            let largest = eigen.values.map { Swift.abs($0) }.max() ?? 0
            guard largest > 0 else { return nil }
            mu = mu == 0 ? largest * 1e-10 : mu
            // Coordinates of Jᵀf in the eigenbasis of JᵀJ.
            let projected = Matrix.product(eigen.vectors, transposeA: true, Matrix(column: gradient)).scalars
            var improved = false
            for _ in 0..<40 {
                let scaled = zip(projected, eigen.values).map { $0 / (Swift.max($1, 0) + mu) }
                let step = Matrix.product(eigen.vectors, Matrix(column: scaled)).scalars
                let trial = zip(y, step).map { $0 - $1 }
                let fTrial = Array(try field(Matrix(row: trial)).scalars)
                if fTrial.allSatisfy({ $0.isFinite }) && sumOfSquares(fTrial) < sumOfSquares(f) {
                    (y, f, mu) = (trial, fTrial, mu / 3)
                    improved = true
                    break
                }
                mu *= 4
            }
            if !improved { return maxAbs(f) <= options.tolerance ? y : nil }
        }
        return maxAbs(f) <= options.tolerance ? y : nil
    }

    static func linearise<Scalar>(_ field: VectorField<Scalar>, at point: [Scalar], hits: Int,
                                  trainingData: Matrix<Scalar>?, options: EquilibriumSearchOptions)
        throws(AnalysisError) -> Equilibrium {
        let j = try field.jacobian(at: point, step: Scalar(options.jacobianStep)).converted(to: Double.self)
        let scale = j.maxAbs()
        let asymmetry = scale > 0 ? (j - j.transposed).maxAbs() / scale : 0
        let eigen: SymmetricEigendecomposition<Double>
        do { eigen = try ((j + j.transposed) * 0.5).symmetricEigen() } catch { throw .underlying("Jacobian eigenvalues: \(error)") }
        let values = eigen.values
        let largest = values.map { Swift.abs($0) }.max() ?? 0
        let stability: Stability
        if values.contains(where: { Swift.abs($0) <= options.zeroTolerance * largest }) {
            stability = .nonHyperbolic
        } else if values.allSatisfy({ $0 < 0 }) {
            stability = .stable
        } else if values.allSatisfy({ $0 > 0 }) {
            stability = .unstable
        } else {
            stability = .saddle
        }
        let residual = try field(Matrix(row: point)).converted(to: Double.self).maxAbs()
        var nearest: (distance: Double, index: Int)?
        if let data = trainingData {
            let squared = Matrix(row: point).converted(to: Double.self)
                .squaredDistances(to: data.converted(to: Double.self)).scalars
            if let k = squared.indices.min(by: { squared[$0] < squared[$1] }) {
                // Recomputed directly: the Gram-form distance loses digits at tiny offsets.
                nearest = (distance(point, Array(data.row(k))), k)
            }
        }
        return Equilibrium(point: point.map { Double($0) }, residual: residual, eigenvalues: values,
                           asymmetry: asymmetry, stability: stability, nearestTrainingDistance: nearest?.distance,
                           nearestTrainingIndex: nearest?.index, hits: hits)
    }
}

func maxAbs<Scalar: MatrixScalar>(_ v: [Scalar]) -> Double { v.reduce(0) { Swift.max($0, Swift.abs(Double($1))) } }
func sumOfSquares<Scalar: MatrixScalar>(_ v: [Scalar]) -> Scalar { v.reduce(0) { $0 + $1 * $1 } }
func distance<Scalar: MatrixScalar>(_ a: [Scalar], _ b: [Scalar]) -> Double {
    zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
}
