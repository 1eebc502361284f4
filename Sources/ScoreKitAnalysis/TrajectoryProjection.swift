/// Every sample's path projected onto the top principal components of all recorded states
/// pooled (T·B points): the picture of Chen et al.'s "boomerang" regularity (papers.md §2.3,
/// §2.4 low-dimensionality), where one shared 2-D frame shows all paths at once.
///
/// The components are the eigenvectors of the pooled d × d covariance with the largest
/// eigenvalues (LAPACK `syevd`); coordinates are of the centred states. Signs of the
/// eigenvectors are arbitrary (LAPACK's), as in any PCA.
public struct TrajectoryProjection: Codable, Sendable, Equatable {
    /// `coordinates[b][k]` lists the k-th principal coordinate of sample b at each recorded state.
    public let coordinates: [[[Double]]]
    /// The share of the pooled variance each component carries.
    public let varianceShares: [Double]

    public init<Scalar>(_ record: TrajectoryRecord<Scalar>, components: Int = 2) throws(AnalysisError) {
        let (t, b, d) = (record.x.count, record.rows, record.columns)
        guard t >= 1, b >= 1, d >= 1 else { throw .invalidInput("an empty trajectory has nothing to project") }
        guard components >= 1 && components <= d else {
            throw .invalidArgument("components must lie in 1…\(d) (got \(components))")
        }
        let pooled = Matrix.vstack(record.x.map { $0.converted(to: Double.self) })
        let centred = pooled.addingToRows(pooled.columnMeans().map { -$0 })
        let covariance = Matrix.product(centred, transposeA: true, centred)
        let eigen: SymmetricEigendecomposition<Double>
        do { eigen = try covariance.symmetricEigen() } catch { throw .underlying("PCA of the trajectory: \(error)") }
        let order = Array(eigen.values.indices.reversed().prefix(components))
        let basis = Matrix<Double>(rows: d, columns: components) { i, k in eigen.vectors[i, order[k]] }
        let projected = centred * basis  // row n·B + s: state n of sample s
        let total = eigen.values.reduce(0) { $0 + Swift.max($1, 0) }
        varianceShares = order.map { total > 0 ? Swift.max(eigen.values[$0], 0) / total : 0 }
        coordinates = (0..<b).map { s in (0..<components).map { k in (0..<t).map { n in projected[n * b + s, k] } } }
    }
}
