/// Feature-wise linear modulation (Perez et al. 2018) by a conditioning vector e, e.g. the noise
/// embedding: [scale, shift] = e Wᵀ + b split in two halves (PyTorch `chunk(2, dim=1)`), then
/// y = h ⊙ (1 + scale) + shift. The projection's tensors are this module's `weight` and `bias`,
/// as for a PyTorch `film = nn.Linear(E, 2W)`.
public struct FiLM<Scalar: MatrixScalar>: Module {
    public private(set) var projection: Linear<Scalar>

    /// The modulated width W.
    public var width: Int { projection.outputWidth / 2 }
    public var conditioningWidth: Int { projection.inputWidth }

    public init(projection: Linear<Scalar>) throws(NNError) {
        guard projection.outputWidth.isMultiple(of: 2) else {
            throw .invalidConfiguration("FiLM projection with an odd output width \(projection.outputWidth)")
        }
        self.projection = projection
    }

    public init(conditioningWidth: Int, width: Int, using rng: inout some RandomNumberGenerator) throws(NNError) {
        try self.init(projection: Linear(inputWidth: conditioningWidth, outputWidth: 2 * width, using: &rng))
    }

    public struct Cache: Sendable {
        let input: Matrix<Scalar>
        let onePlusScale: Matrix<Scalar>
        let conditioning: Matrix<Scalar>
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ h: Matrix<Scalar>, conditioning e: Matrix<Scalar>) throws(NNError) -> (output: Matrix<Scalar>, cache: Cache) {
        try checkShape(h, rows: e.rows, columns: width, layer: "FiLM", what: "input")
        let (scaleShift, _) = try projection.forward(e)
        let scale = scaleShift.columns(0..<width)
        let shift = scaleShift.columns(width..<(2 * width))
        let onePlusScale = scale.map { 1 + $0 }
        return (h .* onePlusScale + shift, Cache(input: h, onePlusScale: onePlusScale, conditioning: e))
    }

    /// ∂L/∂h = ∂L/∂y ⊙ (1 + scale), ∂L/∂scale = ∂L/∂y ⊙ h, ∂L/∂shift = ∂L/∂y; the conditioning
    /// gradient (one more GEMM) only when asked for.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache,
                         conditioningGradient: Bool = true) throws(NNError) -> ConditionedGradients<Scalar> {
        try checkShape(outputGradient, rows: cache.input.rows, columns: width, layer: "FiLM", what: "output gradient")
        let dh = outputGradient .* cache.onePlusScale
        let dScaleShift = (outputGradient .* cache.input).concatenatingColumns(outputGradient)
        let de = conditioningGradient ? try projection.inputGradient(dScaleShift, cache: cache.conditioning) : nil
        return ConditionedGradients(input: dh, conditioning: de,
                                    parameters: try projection.parameterGradients(dScaleShift, cache: cache.conditioning))
    }

    public var stateDict: NamedTensors<Scalar> { projection.stateDict }

    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {
        try projection.load(from: &reader, prefix: prefix)
    }
}

/// Gradients of a two-input module (an input and a conditioning vector).
public struct ConditionedGradients<Scalar: MatrixScalar>: Sendable, Equatable {
    public var input: Matrix<Scalar>
    /// nil when the caller did not ask for it or the module had no conditioning.
    public var conditioning: Matrix<Scalar>?
    public var parameters: NamedTensors<Scalar>
}
