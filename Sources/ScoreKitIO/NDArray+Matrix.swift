import ScoreKitNumerics

/// Conversions between `NDArray` and `Matrix`.
///
/// A 2-D array is a matrix as is. A 1-D array of n values is read as an **n × 1 column**: n
/// points of dimension 1, the way a batch of scalars enters a denoiser (write a 1-D array back
/// with `NDArray(shape: [n], scalars:)`). A 0-D array is a 1 × 1 matrix. A 3-D array
/// (T × B × d, a trajectory) is a list of T matrices of size B × d (`slices`).
extension NDArray {
    /// A 2-D array of the matrix's shape, stored as float32 or float64 by the matrix's precision.
    public init<S: MatrixScalar>(_ matrix: Matrix<S>) {
        self.init(shape: [matrix.rows, matrix.columns], scalars: matrix.scalars)
    }

    /// An array of any shape over C-order `Float` or `Double` values (stored in that precision).
    public init<S: MatrixScalar>(shape: [Int], scalars: [S]) {
        let storage: Storage
        if let floats = scalars as? [Float] {
            storage = .float32(floats)
        } else {
            storage = .float64(scalars.map { Double($0) })
        }
        self.init(shape: shape, storage: storage)
    }

    /// T matrices of equal shape B × d stacked into a T × B × d array (a trajectory).
    /// Traps if the shapes differ.
    public init<S: MatrixScalar>(stacking matrices: [Matrix<S>]) {
        let rows = matrices.first?.rows ?? 0, columns = matrices.first?.columns ?? 0
        precondition(matrices.allSatisfy { $0.rows == rows && $0.columns == columns }, "stacking matrices of different shapes")
        self.init(shape: [matrices.count, rows, columns], scalars: matrices.flatMap(\.scalars))
    }

    /// The array as a matrix (see the type's notes for 0-D and 1-D); more than 2 dimensions is an error.
    public func matrix<S: MatrixScalar>(as type: S.Type = S.self) throws(IOError) -> Matrix<S> {
        switch shape.count {
        case 0: return Matrix(rows: 1, columns: 1, scalars: scalars())
        case 1: return Matrix(rows: shape[0], columns: 1, scalars: scalars())
        case 2: return Matrix(rows: shape[0], columns: shape[1], scalars: scalars())
        default:
            throw .invalidArgument(path: "array of shape \(shape)", reason: "a matrix needs at most 2 dimensions")
        }
    }

    /// A 3-D array T × B × d as T matrices B × d (the frames of a trajectory); other ranks are an error.
    public func slices<S: MatrixScalar>(as type: S.Type = S.self) throws(IOError) -> [Matrix<S>] {
        guard shape.count == 3 else {
            throw .invalidArgument(path: "array of shape \(shape)", reason: "slices need exactly 3 dimensions")
        }
        let all: [S] = scalars()
        let size = shape[1] * shape[2]
        return (0..<shape[0]).map { t in
            Matrix(rows: shape[1], columns: shape[2], scalars: Array(all[(t * size)..<((t + 1) * size)]))
        }
    }
}
