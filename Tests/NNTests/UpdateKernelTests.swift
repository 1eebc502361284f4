import Testing
import ScoreKitNN

/// The vectorised Adam and EMA updates (C kernels, every ISA build) against the update written
/// out element by element in Swift, bit for bit: same operations, same order, no FMA. Lengths
/// cover whole vectors, tails and tensors shorter than one vector.
@Suite struct UpdateKernelTests {
    static let lengths = [1, 7, 16, 17, 1000]

    static func tensors<S: MatrixScalar>(_ n: Int, seed: UInt64, positive: Bool = false, as _: S.Type) -> NamedTensors<S> {
        var generator = PhiloxGenerator(seed: seed)
        return NamedTensors(Self.lengths.prefix(n).enumerated().map { k, count in
            let values = (0..<count).map { _ in S(Double.random(in: positive ? 0.001...2 : -2...2, using: &generator)) }
            return NamedTensor(name: "t\(k)", value: Matrix(row: values), isVector: true)
        })
    }

    func adamMatchesTheScalarFormula<S: MatrixScalar>(_: S.Type, decoupled: Bool) throws {
        let (lr, beta1, beta2, eps, wd) = (0.01, 0.8, 0.95, 1e-3, 0.1)
        var adam = decoupled ? try Adam<S>.adamW(learningRate: lr, beta1: beta1, beta2: beta2, epsilon: eps, weightDecay: wd)
            : try Adam<S>(learningRate: lr, beta1: beta1, beta2: beta2, epsilon: eps, weightDecay: wd)
        var parameters = Self.tensors(5, seed: 1, as: S.self)
        var (p, m, v) = (parameters.map { $0.value.scalars }, parameters.map { [S](repeating: 0, count: $0.value.count) },
                         parameters.map { [S](repeating: 0, count: $0.value.count) })
        for t in 1...3 {
            let gradients = Self.tensors(5, seed: UInt64(10 + t), as: S.self)
            try adam.step(&parameters, gradients: gradients)
            let g = gradients.map { $0.value.scalars }
            let stepSize = S(lr / (1 - Double.pow(beta1, Double(t))))
            let correction2 = S((1 - Double.pow(beta2, Double(t))).squareRoot())
            let decay = S(decoupled ? 1 - lr * wd : 1), l2 = S(decoupled ? 0 : wd)
            for k in p.indices {
                for i in p[k].indices {
                    p[k][i] = p[k][i] * decay
                    let gi = g[k][i] + l2 * p[k][i]
                    m[k][i] = m[k][i] + S(1 - beta1) * (gi - m[k][i])
                    v[k][i] = S(beta2) * v[k][i] + S(1 - beta2) * gi * gi
                    p[k][i] = p[k][i] - stepSize * m[k][i] / (v[k][i].squareRoot() / correction2 + S(eps))
                }
            }
        }
        // Float → Double is exact, so equal Doubles are equal bits (no NaN or signed zero here).
        let differing = zip(parameters, p).map { t, r in zip(t.value.scalars, r).filter { Double($0) != Double($1) }.count }
        #expect(differing == [Int](repeating: 0, count: p.count), "elements differing per tensor")
    }

    @Test func adamFloat() throws { try adamMatchesTheScalarFormula(Float.self, decoupled: false) }
    @Test func adamDouble() throws { try adamMatchesTheScalarFormula(Double.self, decoupled: false) }
    @Test func adamWFloat() throws { try adamMatchesTheScalarFormula(Float.self, decoupled: true) }

    func emaMatchesTheScalarFormula<S: MatrixScalar>(_: S.Type) throws {
        var ema = ExponentialMovingAverage(Self.tensors(5, seed: 2, as: S.self))
        let parameters = Self.tensors(5, seed: 3, as: S.self)
        let beta = S(0.9)
        var expected = [[Double]]()
        for (a, p) in zip(ema.average, parameters) {
            expected.append(zip(a.value.scalars, p.value.scalars).map { (a: S, p: S) -> Double in Double(p + beta * (a - p)) })
        }
        try ema.update(with: parameters, beta: 0.9)
        let differing = zip(ema.average, expected).map { t, r in zip(t.value.scalars, r).filter { Double($0) != $1 }.count }
        #expect(differing == [Int](repeating: 0, count: expected.count), "elements differing per tensor")
    }

    @Test func emaFloat() throws { try emaMatchesTheScalarFormula(Float.self) }
    @Test func emaDouble() throws { try emaMatchesTheScalarFormula(Double.self) }
}
