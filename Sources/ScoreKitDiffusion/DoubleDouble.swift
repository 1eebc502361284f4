/// An unevaluated sum `hi + lo` of two doubles (Dekker's double-double), with exactly the
/// operations of SLEEF's `dd.h` in its FMA build, in the same order, so that `SleefPow` rounds
/// where SLEEF rounds. Each method names the SLEEF function it mirrors.
struct DoubleDouble: Equatable {
    var hi: Double
    var lo: Double

    /// `ddadd2_vd2_vd_vd`: the exact sum of two doubles (Knuth's two-sum, no ordering assumed).
    static func sum(_ x: Double, _ y: Double) -> DoubleDouble {
        let s = x + y
        let v = s - x
        return DoubleDouble(hi: s, lo: (x - (s - v)) + (y - v))
    }

    /// `ddadd_vd2_vd_vd2`: x + y assuming |x| ≥ |y.hi| (fast two-sum).
    static func adding(_ x: Double, _ y: DoubleDouble) -> DoubleDouble {
        let s = x + y.hi
        return DoubleDouble(hi: s, lo: ((x - s) + y.hi) + y.lo)
    }

    /// `ddadd_vd2_vd2_vd2`: self + y assuming |self| ≥ |y|.
    func adding(_ y: DoubleDouble) -> DoubleDouble {
        let s = hi + y.hi
        return DoubleDouble(hi: s, lo: (((hi - s) + y.hi) + lo) + y.lo)
    }

    /// `ddadd2_vd2_vd2_vd`: self + y with no ordering assumed.
    func addingExactly(_ y: Double) -> DoubleDouble {
        let s = hi + y
        let v = s - hi
        let w = (hi - (s - v)) + (y - v)
        return DoubleDouble(hi: s, lo: w + lo)
    }

    /// `ddnormalize_vd2_vd2`.
    func normalized() -> DoubleDouble {
        let s = hi + lo
        return DoubleDouble(hi: s, lo: (hi - s) + lo)
    }

    /// `ddscale_vd2_vd2_vd`.
    func scaled(by s: Double) -> DoubleDouble { DoubleDouble(hi: hi * s, lo: lo * s) }

    /// `ddmul_vd2_vd2_vd` (FMA): self · y.
    func multiplied(by y: Double) -> DoubleDouble {
        let s = hi * y
        return DoubleDouble(hi: s, lo: SleefPow.fma(lo, y, (-s).addingProduct(hi, y)))
    }

    /// `ddmul_vd2_vd2_vd2` (FMA): self · y.
    func multiplied(by y: DoubleDouble) -> DoubleDouble {
        let s = hi * y.hi
        let error = (-s).addingProduct(hi, y.hi)
        return DoubleDouble(hi: s, lo: SleefPow.fma(hi, y.lo, SleefPow.fma(lo, y.hi, error)))
    }

    /// `ddsqu_vd2_vd2` (FMA): self².
    func squared() -> DoubleDouble {
        let s = hi * hi
        return DoubleDouble(hi: s, lo: SleefPow.fma(hi + hi, lo, (-s).addingProduct(hi, hi)))
    }

    /// `dddiv_vd2_vd2_vd2` (FMA): self / d via the reciprocal of d.hi and one correction.
    func divided(by d: DoubleDouble) -> DoubleDouble {
        let t = 1 / d.hi
        let s = hi * t
        let u = (-s).addingProduct(t, hi)                       // t·hi − s
        let v = (1 as Double).addingProduct(-d.hi, t).addingProduct(-d.lo, t)   // 1 − d.hi·t − d.lo·t
        return DoubleDouble(hi: s, lo: SleefPow.fma(s, v, SleefPow.fma(lo, t, u)))
    }
}
