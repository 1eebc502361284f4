import Foundation
import ScoreKitNumerics

/// The exact denoiser of the empirical distribution of `points` (N × d, row-major) by direct
/// loops, written independently of ScoreKitDenoisers as a test reference (the oracle README's
/// definition): the mean of the points weighted by softmax(−‖x − xⱼ‖²/(2σ²)), max-subtracted.
@_optimize(speed)  // the parity tests call it tens of thousands of times in debug builds
public func bruteForceEmpiricalDenoise(_ x: Matrix<Double>, points: [Double], dimension d: Int, sigma: Double) -> Matrix<Double> {
    let n = points.count / max(d, 1)
    var out = [Double](repeating: 0, count: x.rows * d)
    var logits = [Double](repeating: 0, count: n)
    points.withUnsafeBufferPointer { p in
        x.scalars.withUnsafeBufferPointer { xs in
            logits.withUnsafeMutableBufferPointer { l in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<x.rows {
                        var top = -Double.infinity
                        for j in 0..<n {
                            var squared = 0.0
                            for k in 0..<d { let diff = xs[i * d + k] - p[j * d + k]; squared += diff * diff }
                            l[j] = -squared / (2 * sigma * sigma)
                            top = max(top, l[j])
                        }
                        var total = 0.0
                        for j in 0..<n {
                            let w = Foundation.exp(l[j] - top)
                            total += w
                            for k in 0..<d { o[i * d + k] += w * p[j * d + k] }
                        }
                        for k in 0..<d { o[i * d + k] /= total }
                    }
                }
            }
        }
    }
    return Matrix(rows: x.rows, columns: d, scalars: out)
}
