/// Element-wise nonlinearities with their exact derivatives.
public enum ActivationFunction: String, Sendable, Equatable, CaseIterable, Codable {
    /// max(0, x); the derivative at 0 is taken as 0, as in PyTorch.
    case relu
    /// SiLU (swish) x σ(x), PyTorch `nn.SiLU`.
    case silu
    /// Exact GELU x Φ(x) = ½ x (1 + erf(x/√2)), PyTorch's default `nn.GELU()`.
    case gelu
    /// GELU's tanh approximation ½ x (1 + tanh(√(2/π)(x + 0.044715 x³))), PyTorch `nn.GELU(approximate="tanh")`.
    case geluTanh

    /// The function at x.
    @inlinable public func value<S: MatrixScalar>(_ x: S) -> S {
        switch self {
        case .relu: return x > 0 ? x : 0
        case .silu: return x * Self.logistic(x)
        case .gelu: return x * Self.normalCDF(x)
        case .geluTanh: return x * (1 + S.tanh(Self.tanhArgument(x))) / 2
        }
    }

    /// The derivative at x.
    @inlinable public func derivative<S: MatrixScalar>(_ x: S) -> S {
        switch self {
        case .relu: return x > 0 ? 1 : 0
        case .silu:
            let s = Self.logistic(x)
            return s * (1 + x * (1 - s))
        case .gelu:
            // Φ(x) + x φ(x).
            return Self.normalCDF(x) + x * S.exp(-x * x / 2) / (2 * S.pi).squareRoot()
        case .geluTanh:
            let t = S.tanh(Self.tanhArgument(x))
            let du = (2 / S.pi).squareRoot() * (1 + 3 * S(0.044715) * x * x)
            return (1 + t) / 2 + x * (1 - t * t) * du / 2
        }
    }

    @inlinable static func logistic<S: MatrixScalar>(_ x: S) -> S { 1 / (1 + S.exp(-x)) }
    @inlinable static func normalCDF<S: MatrixScalar>(_ x: S) -> S { (1 + S.erf(x / S.sqrt(2))) / 2 }
    @inlinable static func tanhArgument<S: MatrixScalar>(_ x: S) -> S {
        (2 / S.pi).squareRoot() * (x + S(0.044715) * x * x * x)
    }
}

/// An activation as a layer; the cache is the input, from which the derivative is recomputed.
public struct Activation<Scalar: MatrixScalar>: Layer {
    public let function: ActivationFunction

    public init(_ function: ActivationFunction) { self.function = function }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Matrix<Scalar>) throws(NNError) -> (output: Matrix<Scalar>, cache: Matrix<Scalar>) {
        guard function == .silu else {
            let f = function
            return (x.map { f.value($0) }, x)
        }
        // x σ(x) = x / (1 + e^(−x)) with e^(−x) from the SIMD kernel: libm's exp per element costs
        // about as much as the GEMM of a 512-wide layer.
        var y = (-x).exp()
        x.scalars.withUnsafeBufferPointer { xs in
            y.scalars.withUnsafeMutableBufferPointer { e in for i in e.indices { e[i] = xs[i] / (1 + e[i]) } }
        }
        return (y, x)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache x: Matrix<Scalar>) throws(NNError) -> LayerGradients<Scalar> {
        try checkShape(outputGradient, rows: x.rows, columns: x.columns, layer: "Activation", what: "output gradient")
        let f = function
        var dx = outputGradient.scalars
        if f == .silu {
            // σ(x)(1 + x(1 − σ(x))), σ from the same kernel as the forward pass.
            let e = (-x).exp()
            x.scalars.withUnsafeBufferPointer { xs in
                e.scalars.withUnsafeBufferPointer { es in
                    dx.withUnsafeMutableBufferPointer { d in
                        for i in d.indices {
                            let s = 1 / (1 + es[i])
                            d[i] *= s * (1 + xs[i] * (1 - s))
                        }
                    }
                }
            }
        } else {
            x.scalars.withUnsafeBufferPointer { xs in
                dx.withUnsafeMutableBufferPointer { d in for i in d.indices { d[i] *= f.derivative(xs[i]) } }
            }
        }
        return LayerGradients(input: Matrix(rows: x.rows, columns: x.columns, scalars: dx))
    }

    public var stateDict: NamedTensors<Scalar> { NamedTensors() }
    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {}
}
