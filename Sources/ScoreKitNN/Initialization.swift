/// Random initial values (the draws come from any `RandomNumberGenerator`, so a seeded generator
/// gives reproducible networks).
extension Matrix {
    /// Elements i.i.d. uniform on [−bound, bound]: PyTorch's default `nn.Linear` initialisation
    /// uses bound = 1/√fan_in for both weight (Kaiming-uniform with a = √5) and bias.
    static func uniform(rows: Int, columns: Int, bound: Scalar, using rng: inout some RandomNumberGenerator) -> Matrix {
        let b = Double(bound)
        return Matrix(rows: rows, columns: columns) { _, _ in Scalar(Double.random(in: -b...b, using: &rng)) }
    }

    /// Elements i.i.d. N(0, σ²) by the Box–Muller transform.
    static func normal(rows: Int, columns: Int, standardDeviation: Scalar,
                       using rng: inout some RandomNumberGenerator) -> Matrix {
        let s = Double(standardDeviation)
        return Matrix(rows: rows, columns: columns) { _, _ in
            let u1 = 1 - Double.random(in: 0..<1, using: &rng)  // in (0, 1], so the log is finite
            let u2 = Double.random(in: 0..<1, using: &rng)
            return Scalar(s * (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2))
        }
    }
}
