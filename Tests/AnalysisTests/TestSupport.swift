import ScoreKitAnalysis

/// A random orthogonal d × d matrix: the eigenvectors of a seeded random symmetric matrix.
func randomRotation(_ d: Int, seed: UInt64) throws -> Matrix<Double> {
    let a = CounterNormalRNG(seed: seed).normals(rows: d, columns: d, draw: 0, as: Double.self)
    return try (a + a.transposed).symmetricEigen().vectors
}

/// N(μ, R diag(λ) Rᵀ) with a seeded rotation R, and its covariance.
func rotatedGaussian(_ spectrum: [Double], mean: [Double], seed: UInt64) throws -> (GaussianDenoiser<Double>, Matrix<Double>) {
    let d = spectrum.count
    let r = try randomRotation(d, seed: seed)
    let covariance = Matrix<Double>(rows: d, columns: d) { i, j in
        (0..<d).reduce(0) { $0 + r[i, $1] * spectrum[$1] * r[j, $1] }
    }
    return (try GaussianDenoiser(mean: mean, covariance: covariance), covariance)
}

/// `count` draws of N(μ, Σ) through the Cholesky factor, seeded.
func gaussianSamples(mean: [Double], covariance: Matrix<Double>, count: Int, seed: UInt64) throws -> Matrix<Double> {
    let l = try covariance.cholesky()
    let z = CounterNormalRNG(seed: seed).normals(rows: count, columns: mean.count, draw: 0, as: Double.self)
    return Matrix.product(z, l, transposeB: true).addingToRows(mean)
}
