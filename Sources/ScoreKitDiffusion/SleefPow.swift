/// SLEEF's double-precision `pow` with 1-ulp accuracy (`xpow` in `src/libm/sleefsimddp.c`, the
/// FMA build used by `Sleef_powd4_u10` / `Sleef_powd8_u10`), one lane at a time.
///
/// Why it is here: torch evaluates `tensor ** scalar` on x86-64 CPUs with this function on whole
/// vector blocks (see `TorchCPUKernels`), and k-diffusion's Karras schedule is such a power. Its
/// results differ from the C library's correctly rounded `pow` in about 5% of arguments by one
/// ulp, so reproducing k-diffusion's float64 schedules bit for bit needs SLEEF's exact sequence of
/// operations: `exp(y · log|x|)` in double-double arithmetic (Dekker pairs, FMA-based products),
/// then SLEEF's special-value rules (C99 Annex F). Constants are written in hexadecimal so that no
/// decimal-to-binary rounding can differ from the C compiler's.
enum SleefPow {
    /// pow(x, y) exactly as SLEEF's vectorised u10 kernel computes it.
    static func pow(_ x: Double, _ y: Double) -> Double {
        let yIsInteger = roundHalfEven(y) == y
        let yIsOdd = yIsInteger && roundHalfEven(y * 0.5) != y * 0.5

        let d = logk(Swift.abs(x)).multiplied(by: y)
        var result = expk(d)
        if d.hi > logDoubleMax { result = .infinity }
        result *= x > 0 ? 1 : (yIsInteger ? (yIsOdd ? -1 : 1) : .nan)

        if y.isInfinite {
            let efx = withSign(Swift.abs(x) - 1, of: y)
            result = efx < 0 ? 0 : (efx == 0 ? 1 : .infinity)
        }
        if x.isInfinite || x == 0 {
            let magnitude: Double = (y.sign == .minus) != (x == 0) ? 0 : .infinity
            result = withSign(magnitude, of: yIsOdd ? x : 1)
        }
        if x.isNaN || y.isNaN { result = .nan }
        if y == 0 || x == 1 { result = 1 }
        return result
    }

    // MARK: constants (sleefsimddp.c, misc.h)

    static let log2eHi: Double = 0x1.71547652b82fep+0        // R_LN2
    static let ln2Upper: Double = 0x1.62e42fefa3000p-1       // L2U
    static let ln2Lower: Double = 0x1.3de6af278ece6p-42      // L2L
    static let logDoubleMax: Double = 0x1.62e42fefa39efp+9   // LOG_DBL_MAX
    static let ln2 = DoubleDouble(hi: 0x1.62e42fefa39efp-1, lo: 0x1.abc9e3b39803fp-56)
    static let twoThirds = DoubleDouble(hi: 0x1.5555555555555p-1, lo: 0x1.5f00000000000p-55)
    static let logCoefficients: [Double] = [   // POLY9 in logk, highest degree first
        0x1.dc2ec09e714d3p-4, 0x1.a6dea6d1e9d11p-4, 0x1.e252ddf5f8d0ap-4, 0x1.110f384a1865cp-3,
        0x1.3b13bb108efd1p-3, 0x1.745d17248daf1p-3, 0x1.c71c71c76197fp-3, 0x1.2492492492200p-2,
        0x1.999999999999bp-2,
    ]
    static let expCoefficients: [Double] = [   // POLY10 in expk, highest degree first
        0x1.af559d51456b9p-26, 0x1.28a8f696db5adp-22, 0x1.71ddfd27d265ep-19, 0x1.a0199ec6c491bp-16,
        0x1.a01a01ae0c33dp-13, 0x1.6c16c1828ec7bp-10, 0x1.111111110fb68p-7, 0x1.5555555550e90p-5,
        0x1.5555555555558p-3, 0x1.0000000000009p-1,
    ]

    // MARK: kernels

    /// log(d) as a double-double (`logk`, non-AVX-512 branch: exponent from the bit pattern).
    static func logk(_ input: Double) -> DoubleDouble {
        let isSubnormal = input < 0x1p-1022
        let d = isSubnormal ? input * 0x1p64 : input
        var e = exponentBits(d * 0x1.5555555555555p+0)   // ilogb(d / 0.75)
        let m = addingToExponent(d, -e)
        if isSubnormal { e = e &- 64 }

        let x = DoubleDouble.sum(-1, m).divided(by: .sum(1, m))
        let x2 = x.squared()
        let x4 = x2.hi * x2.hi, x8 = x4 * x4, x16 = x8 * x8
        let c = logCoefficients
        let t = fma(x16, c[0], poly8(x2.hi, x4, x8, Array(c[1...])))

        var s = ln2.multiplied(by: Double(e))
        s = s.adding(x.scaled(by: 2))
        var power = x2.multiplied(by: x)
        s = s.adding(power.multiplied(by: twoThirds))
        power = x2.multiplied(by: power)
        return s.adding(power.multiplied(by: t))
    }

    /// exp of a double-double (`expk`): Cody–Waite reduction by ln 2, degree-10 polynomial.
    static func expk(_ d: DoubleDouble) -> Double {
        let dq = roundHalfEven((d.hi + d.lo) * log2eHi)
        let q = convertToInt32(dq)
        var s = d.addingExactly(dq * -ln2Upper)
        s = s.addingExactly(dq * -ln2Lower)
        s = s.normalized()

        let s2 = s.hi * s.hi, s4 = s2 * s2, s8 = s4 * s4
        let c = expCoefficients
        let u = fma(s8, fma(s.hi, c[0], c[1]), poly8(s.hi, s2, s4, Array(c[2...])))
        var t = DoubleDouble.adding(1, s)
        t = t.adding(s.squared().multiplied(by: u))
        let r = scaleByPowerOfTwo(t.hi + t.lo, q)
        return d.hi < -1000 ? 0 : r
    }

    // MARK: SLEEF's helpers (estrin.h, commonfuncs.h, helperavx2.h)

    /// POLY8 (Estrin's scheme) with coefficients c7…c0.
    static func poly8(_ x: Double, _ x2: Double, _ x4: Double, _ c: [Double]) -> Double {
        fma(x4, poly4(x, x2, c[0], c[1], c[2], c[3]), poly4(x, x2, c[4], c[5], c[6], c[7]))
    }

    static func poly4(_ x: Double, _ x2: Double, _ c3: Double, _ c2: Double, _ c1: Double, _ c0: Double) -> Double {
        fma(x2, fma(x, c3, c2), fma(x, c1, c0))
    }

    /// a · b + c with one rounding (`vfma` / `vmla` on FMA hardware).
    static func fma(_ a: Double, _ b: Double, _ c: Double) -> Double { c.addingProduct(a, b) }

    /// `vrint2`: round to nearest, ties to even.
    static func roundHalfEven(_ x: Double) -> Double { x.rounded(.toNearestOrEven) }

    /// `_mm256_cvtpd_epi32`: out-of-range and NaN give the "integer indefinite" value Int32.min.
    static func convertToInt32(_ x: Double) -> Int32 {
        guard x.isFinite, x >= -0x1p31, x < 0x1p31 else { return .min }
        return Int32(x)
    }

    /// `vmulsign`: x with its sign flipped when y's sign bit is set.
    static func withSign(_ x: Double, of y: Double) -> Double { y.sign == .minus ? -x : x }

    /// `vilogb2k`: the biased exponent field minus 1023 (no special cases).
    static func exponentBits(_ d: Double) -> Int32 {
        Int32(truncatingIfNeeded: (d.bitPattern >> 52) & 0x7ff) &- 0x3ff
    }

    /// `vldexp3`: adds q to the exponent field by integer addition on the bit pattern.
    static func addingToExponent(_ d: Double, _ q: Int32) -> Double {
        let shifted = UInt64(UInt32(bitPattern: q &<< 20)) << 32
        return Double(bitPattern: d.bitPattern &+ shifted)
    }

    /// `vpow2i`: 2^q built from its bit pattern.
    static func powerOfTwo(_ q: Int32) -> Double {
        Double(bitPattern: UInt64(UInt32(bitPattern: (q &+ 0x3ff) &<< 20)) << 32)
    }

    /// `vldexp2`: d · 2^q in two multiplications, so that q may exceed the normal range.
    static func scaleByPowerOfTwo(_ d: Double, _ q: Int32) -> Double {
        d * powerOfTwo(q >> 1) * powerOfTwo(q &- (q >> 1))
    }
}
