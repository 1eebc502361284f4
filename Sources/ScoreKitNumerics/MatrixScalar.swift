@_exported import RealModule

/// The element types ScoreKit computes in: `Float` and `Double`.
///
/// The requirements are the precision-specific entry points into BLAS, LAPACK and the C kernels;
/// generic code calls them through `Scalar.` and never branches on the type.
public protocol MatrixScalar: BinaryFloatingPoint, Real, SIMDScalar, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// C ← α op(A) op(B) + β C on row-major buffers (BLAS `?gemm`).
    static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Symmetric eigendecomposition in place (LAPACK `?syevd`, column-major = our row-major transpose).
    static func lapackSyevd(n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>) -> Int
    /// Cholesky factorisation in place (LAPACK `?potrf`); returns LAPACK's `info`.
    static func lapackPotrf(n: Int, a: UnsafeMutablePointer<Self>) -> Int
    static func kernelExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    static func kernelSoftmaxRows(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, cols: Int)
    static func kernelLogSumExpRows(_ x: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, rows: Int, cols: Int)
    static func kernelSquaredDistancesFromGram(
        _ g: UnsafeMutablePointer<Self>, _ xn: UnsafePointer<Self>, _ yn: UnsafePointer<Self>, rows: Int, cols: Int)
    /// One Adam update in place (`sk_adam_step`); `constants` = decay, l2, 1 − β₁, β₂, 1 − β₂,
    /// step size, √(1 − β₂ᵗ), ε.
    static func kernelAdamStep(
        parameters: UnsafeMutablePointer<Self>, gradients: UnsafePointer<Self>, firstMoments: UnsafeMutablePointer<Self>,
        secondMoments: UnsafeMutablePointer<Self>, count: Int, constants: UnsafePointer<Self>)
    /// a ← p + β (a − p) in place.
    static func kernelEMALerp(_ a: UnsafeMutablePointer<Self>, _ p: UnsafePointer<Self>, count: Int, beta: Self)
    /// Philox counter-based standard normals (`uniform == false`) or uniforms on (0, 1): row r is
    /// sample `samples[r]`, or `firstSample + r` when `samples` is nil (see `CounterNormalRNG`).
    static func kernelPhilox(
        uniform: Bool, seed: UInt64, draw: UInt32, firstSample: UInt64, samples: UnsafePointer<UInt64>?,
        _ out: UnsafeMutablePointer<Self>, rows: Int, cols: Int)
    /// Name used in file formats and messages: "float32" or "float64".
    static var precisionName: String { get }
}
