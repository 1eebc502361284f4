#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// `Σ √v_i` over a buffer of non-negative values, accumulated in Double per call.
///
/// Why intrinsics: Swift's `squareRoot()` keeps libm's errno slow path for negative inputs,
/// which stops the loop from vectorising (one `sqrtss` per element, ~5× slower). SSE2's
/// `sqrtps`/`sqrtpd` are part of baseline x86-64 and give the same correctly rounded result;
/// other architectures take the scalar loop.
@inline(__always)
func sumOfSquareRoots<Scalar: MatrixScalar>(_ values: UnsafeBufferPointer<Scalar>) -> Double {
    #if arch(x86_64)
    if Scalar.self == Float.self {
        return values.withMemoryRebound(to: Float.self) { v in
            sumOfSquareRoots(v, lanes: SIMD4<Float>.self) { _mm_sqrt_ps($0) }
        }
    }
    if Scalar.self == Double.self {
        return values.withMemoryRebound(to: Double.self) { v in
            sumOfSquareRoots(v, lanes: SIMD2<Double>.self) { _mm_sqrt_pd($0) }
        }
    }
    #endif
    return values.reduce(0.0) { $0 + Double($1.squareRoot()) }
}

/// The vector loop of `sumOfSquareRoots`: four independent vector accumulators, then the tail.
@inline(__always)
private func sumOfSquareRoots<Vector: SIMD>(
    _ values: UnsafeBufferPointer<Vector.Scalar>, lanes _: Vector.Type, _ root: (Vector) -> Vector
) -> Double where Vector.Scalar: MatrixScalar {
    let n = values.count, w = Vector.scalarCount
    guard let p = values.baseAddress else { return 0 }
    var (a0, a1, a2, a3) = (Vector(), Vector(), Vector(), Vector())
    var c = 0
    let raw = UnsafeRawPointer(p)
    let stride = MemoryLayout<Vector.Scalar>.stride
    while c + 4 * w <= n {
        a0 += root(raw.loadUnaligned(fromByteOffset: c * stride, as: Vector.self))
        a1 += root(raw.loadUnaligned(fromByteOffset: (c + w) * stride, as: Vector.self))
        a2 += root(raw.loadUnaligned(fromByteOffset: (c + 2 * w) * stride, as: Vector.self))
        a3 += root(raw.loadUnaligned(fromByteOffset: (c + 3 * w) * stride, as: Vector.self))
        c += 4 * w
    }
    var total = Double(((a0 + a1) + (a2 + a3)).sum())
    while c < n { total += Double(p[c].squareRoot()); c += 1 }
    return total
}
