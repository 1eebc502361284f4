/// A two-layer MLP act(L₂(act(L₁(e)))) applied to the noise embedding before it conditions the
/// network, as EDM's `map_layer0` / `map_layer1`. Its tensors are named `0.*` and `2.*`, as in a
/// PyTorch `nn.Sequential(Linear, act, Linear, act)`.
public struct MappingNetwork<Scalar: MatrixScalar>: Layer {
    public private(set) var first: Linear<Scalar>
    public private(set) var second: Linear<Scalar>
    public let activation: Activation<Scalar>

    public var width: Int { second.outputWidth }

    public init(inputWidth: Int, width: Int, activation: ActivationFunction,
                using rng: inout some RandomNumberGenerator) throws(NNError) {
        first = try Linear(inputWidth: inputWidth, outputWidth: width, using: &rng)
        second = try Linear(inputWidth: width, outputWidth: width, using: &rng)
        self.activation = Activation(activation)
    }

    public struct Cache: Sendable {
        let first: Matrix<Scalar>
        let firstActivation: Matrix<Scalar>
        let second: Matrix<Scalar>
        let secondActivation: Matrix<Scalar>
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ e: Matrix<Scalar>) throws(NNError) -> (output: Matrix<Scalar>, cache: Cache) {
        let (u, c1) = try first.forward(e)
        let (a, ca) = try activation.forward(u)
        let (v, c2) = try second.forward(a)
        let (y, cb) = try activation.forward(v)
        return (y, Cache(first: c1, firstActivation: ca, second: c2, secondActivation: cb))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache) throws(NNError) -> LayerGradients<Scalar> {
        let gb = try activation.backward(outputGradient, cache: cache.secondActivation)
        let g2 = try second.backward(gb.input, cache: cache.second)
        let ga = try activation.backward(g2.input, cache: cache.firstActivation)
        let g1 = try first.backward(ga.input, cache: cache.first)
        return LayerGradients(input: g1.input, parameters: NamedTensors(prefixing: [("0.", g1.parameters), ("2.", g2.parameters)]))
    }

    public var stateDict: NamedTensors<Scalar> { NamedTensors(prefixing: [("0.", first.stateDict), ("2.", second.stateDict)]) }

    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {
        try first.load(from: &reader, prefix: prefix + "0.")
        try second.load(from: &reader, prefix: prefix + "2.")
    }
}
