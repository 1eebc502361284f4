/// Random initial values (the draws come from any `RandomNumberGenerator`, so a seeded generator
/// gives reproducible networks).
extension Matrix {
    /// Elements i.i.d. uniform on [−bound, bound]: PyTorch's default `nn.Linear` initialisation
    /// uses bound = 1/√fan_in for both weight (Kaiming-uniform with a = √5) and bias.
    static func uniform(rows: Int, columns: Int, bound: Scalar, using rng: inout some RandomNumberGenerator) -> Matrix {
        let b = Double(bound)
        return Matrix(rows: rows, columns: columns) { _, _ in Scalar(Double.random(in: -b...b, using: &rng)) }
    }

    /// Elements i.i.d. N(0, σ²) (Numerics' Box–Muller draw, one generator output per element).
    static func normal(rows: Int, columns: Int, standardDeviation: Scalar,
                       using rng: inout some RandomNumberGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns) { _, _ in standardDeviation * rng.nextStandardNormal(Scalar.self) }
    }
}
