/// A fixed multilayer perceptron classifier used as a feature map for sample-quality metrics:
/// `h_0 = x`, `h_k = ReLU(h_{k−1} W_kᵀ + b_k)` for the hidden layers, logits `h_{L−1} W_Lᵀ + b_L`.
/// The **features** are the penultimate activations h_{L−1} (as Inception's pool3 in FID).
///
/// Why: raw-pixel Fréchet distance compares only means and covariances, which Gaussian
/// teleportation preserves exactly (papers.md §0.6 pitfall); a classifier's features see the
/// shapes the classes are told apart by. Inference only; training lives in `scorekit
/// train-classifier` (ScoreKitNN layers, `SoftmaxCrossEntropy`), the weights in ScoreKitAnalysis'
/// bundle (`FeatureClassifier.bundledDigits()`).
public struct FeatureClassifier<Scalar: MatrixScalar>: Sendable {
    /// One affine layer, PyTorch `nn.Linear` layout: weight out × in, bias of length out.
    public struct Layer: Sendable {
        public let weight: Matrix<Scalar>
        public let bias: [Scalar]
        public init(weight: Matrix<Scalar>, bias: [Scalar]) {
            self.weight = weight
            self.bias = bias
        }
    }

    /// At least two layers (one hidden), each taking the previous one's output.
    public let layers: [Layer]

    public init(layers: [Layer]) throws(MetricsError) {
        guard layers.count >= 2 else { throw .invalidParameter("a feature classifier needs at least two layers") }
        for (k, layer) in layers.enumerated() {
            guard layer.bias.count == layer.weight.rows, layer.weight.rows >= 1, layer.weight.columns >= 1 else {
                throw .invalidParameter("layer \(k): bias of length \(layer.bias.count) for a \(layer.weight.rows)×\(layer.weight.columns) weight")
            }
            guard layer.weight.isFinite && layer.bias.allSatisfy(\.isFinite) else { throw .nonFinite(what: "layer \(k) weights") }
            if k > 0 && layers[k - 1].weight.rows != layer.weight.columns {
                throw .dimensionMismatch(what: "layer \(k) input", expected: layers[k - 1].weight.rows, found: layer.weight.columns)
            }
        }
        self.layers = layers
    }

    public var inputDimension: Int { layers[0].weight.columns }
    public var featureDimension: Int { layers[layers.count - 2].weight.rows }
    public var classCount: Int { layers[layers.count - 1].weight.rows }

    /// The penultimate activations, n × `featureDimension`.
    public func features(_ x: Matrix<Scalar>) throws(MetricsError) -> Matrix<Scalar> {
        try Validate.points(x, "classifier input", minimum: 1)
        guard x.columns == inputDimension else {
            throw .dimensionMismatch(what: "classifier input", expected: inputDimension, found: x.columns)
        }
        var h = x
        for layer in layers.dropLast() { h = Self.affine(h, layer).map { Swift.max($0, 0) } }
        return h
    }

    /// The class logits, n × `classCount`.
    public func logits(_ x: Matrix<Scalar>) throws(MetricsError) -> Matrix<Scalar> {
        Self.affine(try features(x), layers[layers.count - 1])
    }

    /// The most likely class of every row (the first on ties).
    public func predict(_ x: Matrix<Scalar>) throws(MetricsError) -> [Int] {
        let z = try logits(x)
        return (0..<z.rows).map { r in (0..<z.columns).max { z[r, $0] < z[r, $1] } ?? 0 }
    }

    /// The share of rows whose predicted class is the label.
    public func accuracy(_ x: Matrix<Scalar>, labels: [Int]) throws(MetricsError) -> Double {
        guard labels.count == x.rows else { throw .dimensionMismatch(what: "labels", expected: x.rows, found: labels.count) }
        let predicted = try predict(x)
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(x.rows)
    }

    static func affine(_ x: Matrix<Scalar>, _ layer: Layer) -> Matrix<Scalar> {
        Matrix.product(x, layer.weight, transposeB: true).addingToRows(layer.bias)
    }
}

extension Metrics {
    /// Fréchet distance between the Gaussian fits of the classifier's penultimate features of the
    /// two samples (the FID recipe of Heusel et al. 2017 with a small digit classifier instead of
    /// Inception; papers.md §0.6): `frechetDistance(features(x), features(y))`, 1/(n−1) covariances.
    /// Needs n, m ≥ 2 in the classifier's input dimension.
    public static func classifierFrechetDistance<Scalar: MatrixScalar>(
        _ x: Matrix<Scalar>, _ y: Matrix<Scalar>, classifier: FeatureClassifier<Scalar>
    ) throws(MetricsError) -> Double {
        try validatePair(x, y, minimum: 2)
        return try frechetDistance(classifier.features(x), classifier.features(y))
    }
}
