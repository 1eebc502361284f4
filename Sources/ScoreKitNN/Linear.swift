/// Fully connected layer y = x Wᵀ + b on a batch x (B × in), PyTorch `nn.Linear`: the weight is
/// stored `[out, in]` and the bias `[out]`, so state dicts load unchanged.
///
/// Backward: ∂L/∂W = (∂L/∂y)ᵀ x, ∂L/∂b = Σ_rows ∂L/∂y, ∂L/∂x = (∂L/∂y) W, all through BLAS.
public struct Linear<Scalar: MatrixScalar>: Layer {
    /// out × in.
    public private(set) var weight: Matrix<Scalar>
    /// 1 × out.
    public private(set) var bias: Matrix<Scalar>

    public var inputWidth: Int { weight.columns }
    public var outputWidth: Int { weight.rows }

    /// A layer with the given weight (out × in) and bias (length out).
    public init(weight: Matrix<Scalar>, bias: [Scalar]) throws(NNError) {
        guard bias.count == weight.rows else {
            throw .shapeMismatch(layer: "Linear", detail: "bias of length \(bias.count) for \(weight.rows) outputs")
        }
        self.weight = weight
        self.bias = Matrix(row: bias)
    }

    /// PyTorch's default initialisation: weight and bias uniform on ±1/√in.
    public init(inputWidth: Int, outputWidth: Int, using rng: inout some RandomNumberGenerator) throws(NNError) {
        guard inputWidth > 0, outputWidth > 0 else {
            throw .invalidConfiguration("Linear layer \(inputWidth) → \(outputWidth)")
        }
        let bound = 1 / Scalar(inputWidth).squareRoot()
        weight = .uniform(rows: outputWidth, columns: inputWidth, bound: bound, using: &rng)
        bias = .uniform(rows: 1, columns: outputWidth, bound: bound, using: &rng)
    }

    /// The cache is the input x, which the weight gradient needs.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Matrix<Scalar>) throws(NNError) -> (output: Matrix<Scalar>, cache: Matrix<Scalar>) {
        guard x.columns == inputWidth else {
            throw .shapeMismatch(layer: "Linear", detail: "input has \(x.columns) features, expected \(inputWidth)")
        }
        var y = Matrix.repeatingRow(bias.scalars, rows: x.rows)
        Matrix.gemm(x, weight, transposeB: true, beta: 1, into: &y)
        return (y, x)
    }

    public func backward(_ outputGradient: Matrix<Scalar>, cache x: Matrix<Scalar>) throws(NNError) -> LayerGradients<Scalar> {
        LayerGradients(input: try inputGradient(outputGradient, cache: x),
                       parameters: try parameterGradients(outputGradient, cache: x))
    }

    /// ∂L/∂x = (∂L/∂y) W alone, for callers that do not need the parameter gradients.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func inputGradient(_ outputGradient: Matrix<Scalar>, cache x: Matrix<Scalar>) throws(NNError) -> Matrix<Scalar> {
        try checkShape(outputGradient, rows: x.rows, columns: outputWidth, layer: "Linear", what: "output gradient")
        return Matrix.product(outputGradient, weight)
    }

    /// ∂L/∂W and ∂L/∂b alone (a first layer or a FiLM projection, whose input gradient is unused).
    public func parameterGradients(_ outputGradient: Matrix<Scalar>, cache x: Matrix<Scalar>) throws(NNError) -> NamedTensors<Scalar> {
        var dW = Matrix<Scalar>(rows: outputWidth, columns: inputWidth)
        var db = Matrix<Scalar>(rows: 1, columns: outputWidth)
        try accumulateParameterGradients(outputGradient, cache: x, weight: &dW, bias: &db)
        return NamedTensors([
            NamedTensor(name: "weight", value: dW),
            NamedTensor(name: "bias", value: db, isVector: true),
        ])
    }

    /// dW += (∂L/∂y)ᵀ x and db += 1ᵀ (∂L/∂y), as two GEMMs with β = 1 (gradient accumulation over
    /// micro-batches without a temporary).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func accumulateParameterGradients(_ outputGradient: Matrix<Scalar>, cache x: Matrix<Scalar>,
                                             weight dW: inout Matrix<Scalar>, bias db: inout Matrix<Scalar>) throws(NNError) {
        try checkShape(outputGradient, rows: x.rows, columns: outputWidth, layer: "Linear", what: "output gradient")
        try checkShape(dW, rows: outputWidth, columns: inputWidth, layer: "Linear", what: "weight gradient")
        try checkShape(db, rows: 1, columns: outputWidth, layer: "Linear", what: "bias gradient")
        Matrix.gemm(outputGradient, transposeA: true, x, beta: 1, into: &dW)
        Matrix.gemm(Matrix(rows: 1, columns: x.rows, repeating: 1), outputGradient, beta: 1, into: &db)
    }

    public var stateDict: NamedTensors<Scalar> {
        NamedTensors([
            NamedTensor(name: "weight", value: weight),
            NamedTensor(name: "bias", value: bias, isVector: true),
        ])
    }

    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {
        weight = try reader.take(prefix + "weight", replacing: weight)
        bias = try reader.take(prefix + "bias", replacing: bias, isVector: true)
    }
}
