/// Something that owns named tensors like a PyTorch `nn.Module`: it lists them as a state dict and
/// loads them back by name, with shape checks.
public protocol Module<Scalar>: Sendable {
    associatedtype Scalar: MatrixScalar
    /// Parameters and buffers, named relative to this module, in registration order.
    var stateDict: NamedTensors<Scalar> { get }
    /// Replaces every tensor with the one named `prefix + name` in `reader`.
    mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError)
}

extension Module {
    /// The trainable tensors (the state dict without buffers), in the order gradients use.
    public var parameters: NamedTensors<Scalar> { stateDict.trainable }

    /// Loads a full state dict, PyTorch `load_state_dict(strict=True)`: every tensor must be
    /// present with its shape, and no other name may appear. On error the module is unchanged.
    public mutating func load(stateDict tensors: [String: Matrix<Scalar>]) throws(NNError) {
        try load(StateReader(tensors))
    }

    /// Replaces the trainable parameters (an optimizer's output); buffers keep their values.
    /// On error the module is unchanged.
    public mutating func load(parameters: NamedTensors<Scalar>) throws(NNError) {
        try load(StateReader(parameters.dictionary, requiresBuffers: false))
    }

    /// Loads into a copy and keeps it only if every tensor was valid and used.
    private mutating func load(_ reader: StateReader<Scalar>) throws(NNError) {
        var reader = reader
        var copy = self
        try copy.load(from: &reader, prefix: "")
        try reader.finish()
        self = copy
    }
}

/// A single-input layer with a hand-written backward pass (swift-numerics.md §6: Swift AD crashed
/// or silently returned zero gradients through BLAS calls, so every derivative here is explicit
/// and finite-difference tested).
///
/// `forward` returns what `backward` needs as an explicit cache value, so a layer is an
/// immutable value during training and the same layer can run several forward passes at once.
public protocol Layer<Scalar>: Module {
    associatedtype Cache: Sendable
    func forward(_ x: Matrix<Scalar>) throws(NNError) -> (output: Matrix<Scalar>, cache: Cache)
    /// Given ∂L/∂output, returns ∂L/∂input and ∂L/∂parameters (named like `parameters`).
    func backward(_ outputGradient: Matrix<Scalar>, cache: Cache) throws(NNError) -> LayerGradients<Scalar>
}

/// What a backward pass returns: the gradient with respect to the layer's input and the gradients
/// of its trainable parameters, in the order and with the names of `parameters`.
public struct LayerGradients<Scalar: MatrixScalar>: Sendable, Equatable {
    public var input: Matrix<Scalar>
    public var parameters: NamedTensors<Scalar>

    public init(input: Matrix<Scalar>, parameters: NamedTensors<Scalar> = NamedTensors()) {
        self.input = input
        self.parameters = parameters
    }
}

extension Layer {
    /// The forward value only (inference).
    public func callAsFunction(_ x: Matrix<Scalar>) throws(NNError) -> Matrix<Scalar> { try forward(x).output }
}

/// Shape guard shared by all layers: a gradient must match the output it differentiates.
@inlinable func checkShape<Scalar>(_ m: Matrix<Scalar>, rows: Int, columns: Int, layer: String,
                                   what: String) throws(NNError) {
    guard m.rows == rows, m.columns == columns else {
        throw .shapeMismatch(layer: layer, detail: "\(what) is \(m.rows)×\(m.columns), expected \(rows)×\(columns)")
    }
}
