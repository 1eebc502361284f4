import RealModule
import CScoreKitKernels
#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif

// The only file that talks to BLAS/LAPACK: OpenBLAS on Linux, Accelerate on Apple platforms.

#if canImport(Accelerate)
typealias LapackInt = __CLPK_integer
#else
typealias LapackInt = Int32
#endif

@inline(__always) private func cblasTrans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

/// Runs LAPACK's two-call protocol (workspace query with lwork = −1, then the real call).
private func syevd<T>(
    n: Int, a: UnsafeMutablePointer<T>, w: UnsafeMutablePointer<T>, zero: T, toInt: (T) -> Int,
    call: (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafePointer<LapackInt>, UnsafeMutablePointer<T>,
           UnsafePointer<LapackInt>, UnsafeMutablePointer<T>, UnsafeMutablePointer<T>, UnsafePointer<LapackInt>,
           UnsafeMutablePointer<LapackInt>, UnsafePointer<LapackInt>, UnsafeMutablePointer<LapackInt>) -> Void
) -> Int {
    var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "L"))
    var nn = LapackInt(n), lda = LapackInt(max(n, 1)), info: LapackInt = 0
    var lwork: LapackInt = -1, liwork: LapackInt = -1
    var workQuery = zero, iworkQuery: LapackInt = 0
    call(&jobz, &uplo, &nn, a, &lda, w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
    guard info == 0 else { return Int(info) }
    lwork = LapackInt(toInt(workQuery)); liwork = iworkQuery
    var work = [T](repeating: zero, count: Int(lwork))
    var iwork = [LapackInt](repeating: 0, count: Int(liwork))
    call(&jobz, &uplo, &nn, a, &lda, w, &work, &lwork, &iwork, &liwork, &info)
    return Int(info)
}

extension Float: MatrixScalar {
    public static var precisionName: String { "float32" }
    public static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, cblasTrans(transA), cblasTrans(transB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func lapackSyevd(n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>) -> Int {
        syevd(n: n, a: a, w: w, zero: 0, toInt: { Int($0.rounded(.up)) }) { ssyevd_($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) }
    }
    public static func lapackPotrf(n: Int, a: UnsafeMutablePointer<Float>) -> Int {
        var uplo = CChar(UInt8(ascii: "U")), nn = LapackInt(n), lda = LapackInt(max(n, 1)), info: LapackInt = 0
        spotrf_(&uplo, &nn, a, &lda, &info)
        return Int(info)
    }
    public static func kernelExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { sk_exp_f32(x, y, n) }
    public static func kernelSoftmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        sk_softmax_rows_f32(x, y, rows, cols)
    }
    public static func kernelLogSumExpRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        sk_logsumexp_rows_f32(x, out, rows, cols)
    }
    public static func kernelSquaredDistancesFromGram(
        _ g: UnsafeMutablePointer<Float>, _ xn: UnsafePointer<Float>, _ yn: UnsafePointer<Float>, rows: Int, cols: Int
    ) { sk_sqdist_from_gram_f32(g, xn, yn, rows, cols) }
    public static func kernelAdamStep(
        parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, firstMoments: UnsafeMutablePointer<Float>,
        secondMoments: UnsafeMutablePointer<Float>, count: Int, constants: UnsafePointer<Float>
    ) { sk_adam_step_f32(parameters, gradients, firstMoments, secondMoments, count, constants) }
    public static func kernelEMALerp(_ a: UnsafeMutablePointer<Float>, _ p: UnsafePointer<Float>, count: Int, beta: Float) {
        sk_ema_lerp_f32(a, p, count, beta)
    }
    public static func kernelPhilox(
        uniform: Bool, seed: UInt64, draw: UInt32, firstSample: UInt64, samples: UnsafePointer<UInt64>?,
        _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int
    ) {
        if uniform {
            sk_philox_uniform_f32(seed, draw, firstSample, samples, out, rows, cols)
        } else {
            sk_philox_normal_f32(seed, draw, firstSample, samples, out, rows, cols)
        }
    }
}

extension Double: MatrixScalar {
    public static var precisionName: String { "float64" }
    public static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(CblasRowMajor, cblasTrans(transA), cblasTrans(transB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func lapackSyevd(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> Int {
        syevd(n: n, a: a, w: w, zero: 0, toInt: { Int($0.rounded(.up)) }) { dsyevd_($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) }
    }
    public static func lapackPotrf(n: Int, a: UnsafeMutablePointer<Double>) -> Int {
        var uplo = CChar(UInt8(ascii: "U")), nn = LapackInt(n), lda = LapackInt(max(n, 1)), info: LapackInt = 0
        dpotrf_(&uplo, &nn, a, &lda, &info)
        return Int(info)
    }
    public static func kernelExp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { sk_exp_f64(x, y, n) }
    public static func kernelSoftmaxRows(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, rows: Int, cols: Int) {
        sk_softmax_rows_f64(x, y, rows, cols)
    }
    public static func kernelLogSumExpRows(_ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, rows: Int, cols: Int) {
        sk_logsumexp_rows_f64(x, out, rows, cols)
    }
    public static func kernelSquaredDistancesFromGram(
        _ g: UnsafeMutablePointer<Double>, _ xn: UnsafePointer<Double>, _ yn: UnsafePointer<Double>, rows: Int, cols: Int
    ) { sk_sqdist_from_gram_f64(g, xn, yn, rows, cols) }
    public static func kernelAdamStep(
        parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, firstMoments: UnsafeMutablePointer<Double>,
        secondMoments: UnsafeMutablePointer<Double>, count: Int, constants: UnsafePointer<Double>
    ) { sk_adam_step_f64(parameters, gradients, firstMoments, secondMoments, count, constants) }
    public static func kernelEMALerp(_ a: UnsafeMutablePointer<Double>, _ p: UnsafePointer<Double>, count: Int, beta: Double) {
        sk_ema_lerp_f64(a, p, count, beta)
    }
    public static func kernelPhilox(
        uniform: Bool, seed: UInt64, draw: UInt32, firstSample: UInt64, samples: UnsafePointer<UInt64>?,
        _ out: UnsafeMutablePointer<Double>, rows: Int, cols: Int
    ) {
        if uniform {
            sk_philox_uniform_f64(seed, draw, firstSample, samples, out, rows, cols)
        } else {
            sk_philox_normal_f64(seed, draw, firstSample, samples, out, rows, cols)
        }
    }
}

/// What computes underneath: BLAS threads and kernel builds (one threading layer at a time,
/// ScoreKit's own: swift-numerics.md §7 and `Parallelism`).
public enum NumericsBackend {
    /// The number of threads BLAS uses for one call.
    public static var blasThreads: Int {
        get {
            #if canImport(Accelerate)
            return 1
            #else
            return Int(openblas_get_num_threads())
            #endif
        }
    }
    /// Sets BLAS's thread count (for benchmarks of BLAS itself): `Parallelism` sets it back to 1.
    public static func setBLASThreads(_ n: Int) {
        #if !canImport(Accelerate)
        openblas_set_num_threads(Int32(max(1, n)))
        #endif
    }
    /// ScoreKit's policy: BLAS runs single-threaded and `Parallelism` spreads the work, because
    /// OpenBLAS rounds differently with different thread counts (sgemm splits its tiles
    /// differently). Reading the count is cheap, so every parallel region checks.
    public static func requireSingleThreadedBLAS() {
        if blasThreads != 1 { setBLASThreads(1) }
    }
    /// The BLAS kernel family in use (e.g. "Haswell"), for benchmark reports.
    public static var blasCore: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
        #endif
    }
    /// Which build of ScoreKit's own SIMD kernels runs on this CPU.
    public static var kernelISA: String {
        switch sk_isa_level() {
        case 2: return "avx512"
        case 1: return "avx2"
        default: return "baseline"
        }
    }
}
