extension RandomNumberGenerator {
    /// A standard normal from one 64-bit output by Box–Muller (Box & Muller 1958), with the same
    /// uniforms as `CounterNormalRNG`: u = (low 32 bits + ½)·2⁻³² and v = (high 32 bits + ½)·2⁻³²,
    /// both in (0, 1), give z = √(−2 ln u) · cos 2πv. Computed in Double and then rounded, so it is
    /// finite (|z| < 6.8) and a Float draw is the Double draw rounded.
    public mutating func nextStandardNormal<Scalar: MatrixScalar>(_: Scalar.Type = Scalar.self) -> Scalar {
        let bits = next()
        let u = (Double(UInt32(truncatingIfNeeded: bits)) + 0.5) * 0x1p-32
        let v = (Double(UInt32(truncatingIfNeeded: bits >> 32)) + 0.5) * 0x1p-32
        return Scalar((-2 * Double.log(u)).squareRoot() * Double.cos(2 * Double.pi * v))
    }
}
