/// Pre-norm residual MLP block: y = x + linear2(act(linear1(FiLM(norm(x), e)))), FiLM only when
/// the block is conditioned. Tensors: `norm.*`, `film.*` (if any), `linear1.*`, `linear2.*`.
public struct ResidualBlock<Scalar: MatrixScalar>: Module {
    public private(set) var norm: LayerNorm<Scalar>
    public private(set) var film: FiLM<Scalar>?
    public private(set) var linear1: Linear<Scalar>
    public private(set) var linear2: Linear<Scalar>
    public let activation: Activation<Scalar>

    public var width: Int { norm.width }

    /// `conditioningWidth` nil gives an unconditioned block (no FiLM).
    public init(width: Int, hiddenWidth: Int, activation: ActivationFunction, conditioningWidth: Int?,
                using rng: inout some RandomNumberGenerator) throws(NNError) {
        norm = try LayerNorm(width: width)
        film = try conditioningWidth.map { (e: Int) throws(NNError) in try FiLM(conditioningWidth: e, width: width, using: &rng) }
        linear1 = try Linear(inputWidth: width, outputWidth: hiddenWidth, using: &rng)
        linear2 = try Linear(inputWidth: hiddenWidth, outputWidth: width, using: &rng)
        self.activation = Activation(activation)
    }

    public struct Cache: Sendable {
        let norm: LayerNorm<Scalar>.Cache
        let film: FiLM<Scalar>.Cache?
        let linear1: Matrix<Scalar>
        let activation: Matrix<Scalar>
        let linear2: Matrix<Scalar>
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Matrix<Scalar>, conditioning e: Matrix<Scalar>? = nil) throws(NNError) -> (output: Matrix<Scalar>, cache: Cache) {
        let (n, normCache) = try norm.forward(x)
        var h = n
        var filmCache: FiLM<Scalar>.Cache?
        switch (film, e) {
        case (let film?, let e?): (h, filmCache) = try film.forward(n, conditioning: e)
        case (nil, nil): break
        case (nil, _?): throw .shapeMismatch(layer: "ResidualBlock", detail: "conditioning given to an unconditioned block")
        case (_?, nil): throw .shapeMismatch(layer: "ResidualBlock", detail: "conditioned block called without conditioning")
        }
        let (u, c1) = try linear1.forward(h)
        let (a, ca) = try activation.forward(u)
        let (v, c2) = try linear2.forward(a)
        return (x + v, Cache(norm: normCache, film: filmCache, linear1: c1, activation: ca, linear2: c2))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache,
                         conditioningGradient: Bool = true) throws(NNError) -> ConditionedGradients<Scalar> {
        let g2 = try linear2.backward(outputGradient, cache: cache.linear2)
        let ga = try activation.backward(g2.input, cache: cache.activation)
        let g1 = try linear1.backward(ga.input, cache: cache.linear1)
        var dn = g1.input
        var de: Matrix<Scalar>?
        var filmParameters = NamedTensors<Scalar>()
        if let film, let filmCache = cache.film {
            let gf = try film.backward(g1.input, cache: filmCache, conditioningGradient: conditioningGradient)
            (dn, de, filmParameters) = (gf.input, gf.conditioning, gf.parameters)
        }
        let gn = try norm.backward(dn, cache: cache.norm)
        let parameters = NamedTensors(prefixing: [("norm.", gn.parameters), ("film.", filmParameters),
                                                  ("linear1.", g1.parameters), ("linear2.", g2.parameters)])
        return ConditionedGradients(input: outputGradient + gn.input, conditioning: de, parameters: parameters)
    }

    public var stateDict: NamedTensors<Scalar> {
        NamedTensors(prefixing: [("norm.", norm.stateDict), ("film.", film?.stateDict ?? NamedTensors()),
                                 ("linear1.", linear1.stateDict), ("linear2.", linear2.stateDict)])
    }

    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {
        try norm.load(from: &reader, prefix: prefix + "norm.")
        try film?.load(from: &reader, prefix: prefix + "film.")
        try linear1.load(from: &reader, prefix: prefix + "linear1.")
        try linear2.load(from: &reader, prefix: prefix + "linear2.")
    }
}
