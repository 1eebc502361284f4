/// Layer normalisation over the features of each row (Ba et al. 2016), PyTorch `nn.LayerNorm(width)`:
/// y = γ ⊙ (x − μ)/√(σ² + ε) + β with the biased row variance σ² and ε = 1e-5.
public struct LayerNorm<Scalar: MatrixScalar>: Layer {
    /// γ, 1 × width (PyTorch `weight`, initialised to 1).
    public private(set) var weight: Matrix<Scalar>
    /// β, 1 × width (PyTorch `bias`, initialised to 0).
    public private(set) var bias: Matrix<Scalar>
    public let epsilon: Scalar

    public var width: Int { weight.columns }

    public init(width: Int, epsilon: Scalar = 1e-5) throws(NNError) {
        guard width > 0 else { throw .invalidConfiguration("LayerNorm of width \(width)") }
        weight = Matrix(rows: 1, columns: width, repeating: 1)
        bias = Matrix(rows: 1, columns: width)
        self.epsilon = epsilon
    }

    /// What backward needs: x̂ = (x − μ)/√(σ² + ε) and 1/√(σ² + ε) per row.
    public struct Cache: Sendable {
        public let normalized: Matrix<Scalar>
        public let inverseStandardDeviation: [Scalar]
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Matrix<Scalar>) throws(NNError) -> (output: Matrix<Scalar>, cache: Cache) {
        guard x.columns == width else {
            throw .shapeMismatch(layer: "LayerNorm", detail: "input has \(x.columns) features, expected \(width)")
        }
        let n = width, eps = epsilon
        var xhat = x.scalars
        var y = x.scalars
        var inverseStd = [Scalar](repeating: 0, count: x.rows)
        // Raw buffers: Array indexing in these loops (bounds and uniqueness checks) cost as much as
        // the arithmetic.
        weight.scalars.withUnsafeBufferPointer { g in
            bias.scalars.withUnsafeBufferPointer { b in
                xhat.withUnsafeMutableBufferPointer { h in
                    y.withUnsafeMutableBufferPointer { out in
                        for i in 0..<x.rows {
                            let row = UnsafeMutableBufferPointer(rebasing: h[(i * n)..<((i + 1) * n)])
                            var mean: Scalar = 0
                            for v in row { mean += v }
                            mean /= Scalar(n)
                            var variance: Scalar = 0
                            for v in row { variance += (v - mean) * (v - mean) }
                            variance /= Scalar(n)
                            let r = 1 / (variance + eps).squareRoot()
                            inverseStd[i] = r
                            for j in 0..<n {
                                let z = (row[j] - mean) * r
                                row[j] = z
                                out[i * n + j] = g[j] * z + b[j]
                            }
                        }
                    }
                }
            }
        }
        let normalized = Matrix(rows: x.rows, columns: n, scalars: xhat)
        return (Matrix(rows: x.rows, columns: n, scalars: y), Cache(normalized: normalized, inverseStandardDeviation: inverseStd))
    }

    /// With g = γ ⊙ ∂L/∂y: ∂L/∂x = (g − mean(g) − x̂ mean(g ⊙ x̂)) / √(σ² + ε) per row;
    /// ∂L/∂γ = Σ_rows ∂L/∂y ⊙ x̂, ∂L/∂β = Σ_rows ∂L/∂y.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache) throws(NNError) -> LayerGradients<Scalar> {
        let xhat = cache.normalized
        try checkShape(outputGradient, rows: xhat.rows, columns: width, layer: "LayerNorm", what: "output gradient")
        let n = width
        var dx = [Scalar](repeating: 0, count: outputGradient.count)
        var dGamma = [Scalar](repeating: 0, count: n)
        var dBeta = [Scalar](repeating: 0, count: n)
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            xhat.scalars.withUnsafeBufferPointer { h in
                weight.scalars.withUnsafeBufferPointer { gamma in
                    dx.withUnsafeMutableBufferPointer { d in
                        for i in 0..<xhat.rows {
                            let base = i * n
                            var meanG: Scalar = 0, meanGH: Scalar = 0
                            for j in 0..<n {
                                let g = gamma[j] * dy[base + j]
                                meanG += g
                                meanGH += g * h[base + j]
                                dGamma[j] += dy[base + j] * h[base + j]
                                dBeta[j] += dy[base + j]
                            }
                            meanG /= Scalar(n)
                            meanGH /= Scalar(n)
                            let r = cache.inverseStandardDeviation[i]
                            for j in 0..<n { d[base + j] = (gamma[j] * dy[base + j] - meanG - h[base + j] * meanGH) * r }
                        }
                    }
                }
            }
        }
        return LayerGradients(
            input: Matrix(rows: xhat.rows, columns: n, scalars: dx),
            parameters: NamedTensors([
                NamedTensor(name: "weight", value: Matrix(row: dGamma), isVector: true),
                NamedTensor(name: "bias", value: Matrix(row: dBeta), isVector: true),
            ]))
    }

    public var stateDict: NamedTensors<Scalar> {
        NamedTensors([
            NamedTensor(name: "weight", value: weight, isVector: true),
            NamedTensor(name: "bias", value: bias, isVector: true),
        ])
    }

    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {
        weight = try reader.take(prefix + "weight", replacing: weight, isVector: true)
        bias = try reader.take(prefix + "bias", replacing: bias, isVector: true)
    }
}
