import Testing
import ScoreKitNN
@_exported import ScoreKitTestSupport

/// Largest |a − b| relative to max(1, |b|), over all elements.
func maxRelativeError<T: MatrixScalar>(_ a: Matrix<T>, _ b: Matrix<T>) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns, "comparing \(a.rows)×\(a.columns) with \(b.rows)×\(b.columns)")
    return zip(a.scalars, b.scalars).reduce(0) { acc, p in
        max(acc, abs(Double(p.0) - Double(p.1)) / max(1, abs(Double(p.1))))
    }
}

/// Central finite differences of a scalar function of a matrix, element by element. The truncation
/// error is O(h²) times the third derivative (large behind a LayerNorm of nearly constant rows),
/// the rounding error O(ε|f|/h): h = 1e-6 keeps both near 1e-10 for these small test losses.
func numericalGradient(at x: Matrix<Double>, step h: Double = 1e-6,
                       _ f: (Matrix<Double>) throws -> Double) rethrows -> Matrix<Double> {
    var g = Matrix<Double>(rows: x.rows, columns: x.columns)
    for i in 0..<x.count {
        var plus = x, minus = x
        plus.scalars[i] += h
        minus.scalars[i] -= h
        g.scalars[i] = (try f(plus) - f(minus)) / (2 * h)
    }
    return g
}

/// Σ w ⊙ y: a scalar loss whose gradient with respect to y is exactly w.
func weightedSum(_ y: Matrix<Double>, _ w: Matrix<Double>) -> Double {
    zip(y.scalars, w.scalars).reduce(0) { $0 + $1.0 * $1.1 }
}

extension NamedTensors {
    /// The same list with the tensor `name` replaced by `value`.
    func replacing(_ name: String, with value: Matrix<Scalar>) -> NamedTensors {
        var copy = self
        for i in copy.indices where copy[i].name == name { copy[i].value = value }
        return copy
    }
}

/// Checks every parameter gradient of `module` against central differences of `loss`, which
/// evaluates the loss for a module with the given parameters.
func expectParameterGradients<M: Module>(
    of module: M, analytic: NamedTensors<Double>, tolerance: Double = 1e-7,
    sourceLocation: SourceLocation = #_sourceLocation, loss: (M) throws -> Double
) throws where M.Scalar == Double {
    #expect(analytic.names == module.parameters.names, sourceLocation: sourceLocation)
    for p in module.parameters {
        let numeric = try numericalGradient(at: p.value) { value in
            var m = module
            try m.load(parameters: module.parameters.replacing(p.name, with: value))
            return try loss(m)
        }
        let a = try #require(analytic[p.name], sourceLocation: sourceLocation)
        let error = maxRelativeError(a, numeric)
        #expect(error < tolerance, "gradient of \(p.name): error \(error)", sourceLocation: sourceLocation)
    }
}

/// Gradient check of a single-input layer with the loss Σ w ⊙ layer(x) for a fixed random w.
func expectLayerGradients<L: Layer>(_ layer: L, input x: Matrix<Double>, tolerance: Double = 1e-7,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws where L.Scalar == Double {
    let (y, cache) = try layer.forward(x)
    let w = randomMatrix(y.rows, y.columns, seed: 99, as: Double.self)
    let analytic = try layer.backward(w, cache: cache)
    let numericInput = try numericalGradient(at: x) { try weightedSum(layer($0), w) }
    let error = maxRelativeError(analytic.input, numericInput)
    #expect(error < tolerance, "input gradient error \(error)", sourceLocation: sourceLocation)
    try expectParameterGradients(of: layer, analytic: analytic.parameters, tolerance: tolerance,
                                 sourceLocation: sourceLocation) { try weightedSum($0(x), w) }
}

/// Fixture tensors as a state dictionary of matrices (vectors as 1 × n).
func stateDictionary<T: MatrixScalar>(_ tensors: [FixtureTensor], as: T.Type = T.self) throws -> [String: Matrix<T>] {
    var out = [String: Matrix<T>]()
    for t in tensors {
        out[t.name] = try NamedTensor<T>.matrix(name: t.name, shape: t.shape, scalars: t.values.map { T($0) })
    }
    return out
}

/// Fixture tensors as an ordered parameter list.
func namedTensors(_ tensors: [FixtureTensor]) throws -> NamedTensors<Double> {
    var out = NamedTensors<Double>()
    for t in tensors {
        out.append(NamedTensor(name: t.name, value: try NamedTensor<Double>.matrix(name: t.name, shape: t.shape, scalars: t.values),
                               isVector: t.shape.count == 1))
    }
    return out
}
