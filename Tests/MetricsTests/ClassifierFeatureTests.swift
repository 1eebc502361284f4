import Foundation
import Testing
@testable import ScoreKitMetrics

@Suite("Softmax cross-entropy and classifier features")
struct ClassifierFeatureTests {
    @Test("the cross-entropy gradient matches central finite differences")
    func crossEntropyGradient() throws {
        let logits = gaussianSample(5, 4, seed: 3, scale: 2, as: Double.self)
        let labels = [0, 3, 1, 1, 2]
        let analytic = try SoftmaxCrossEntropy(logits: logits, labels: labels).logitGradient
        let h = 1e-5
        for r in 0..<logits.rows {
            for c in 0..<logits.columns {
                var plus = logits, minus = logits
                plus[r, c] += h
                minus[r, c] -= h
                let numeric = (try SoftmaxCrossEntropy(logits: plus, labels: labels).loss
                    - SoftmaxCrossEntropy(logits: minus, labels: labels).loss) / (2 * h)
                #expect(abs(numeric - analytic[r, c]) < 1e-9, "∂L/∂z[\(r), \(c)]")
            }
        }
    }

    @Test("the loss is log K for equal logits and −log softmax of the label otherwise")
    func crossEntropyClosedForm() throws {
        let equal = try SoftmaxCrossEntropy(logits: Matrix<Double>(rows: 3, columns: 7, repeating: 0.4), labels: [0, 6, 2])
        #expect(abs(equal.loss - log(7.0)) < 1e-14)
        // One row [1, 2, 3], label 0: −log(e / (e + e² + e³)).
        let one = try SoftmaxCrossEntropy(logits: Matrix(row: [1.0, 2, 3]), labels: [0])
        let total: Double = exp(1.0) + exp(2.0) + exp(3.0)
        let expected: Double = log(total) - 1
        #expect(abs(one.loss - expected) < 1e-14)
        #expect(throws: MetricsError.self) { try SoftmaxCrossEntropy(logits: Matrix(row: [1.0, 2]), labels: [2]) }
    }

    @Test("with identity layers on positive data the classifier FD is the raw FD")
    func identityFeaturesGiveRawFD() throws {
        let d = 3
        let identity = Matrix<Double>(rows: d, columns: d) { i, j in i == j ? 1 : 0 }
        let classifier = try FeatureClassifier(layers: [
            .init(weight: identity, bias: [0, 0, 0]),
            .init(weight: Matrix(rows: 2, columns: d, repeating: 1), bias: [0, 1]),
        ])
        // Shifted far into the positive orthant, ReLU is the identity on every point.
        let x = gaussianSample(200, d, seed: 5, shift: 20, as: Double.self)
        let y = gaussianSample(150, d, seed: 6, shift: 21, scale: 1.5, as: Double.self)
        let viaClassifier = try Metrics.classifierFrechetDistance(x, y, classifier: classifier)
        #expect(relativeError(viaClassifier, try Metrics.frechetDistance(x, y)) < 1e-12)
        #expect(classifier.featureDimension == 3 && classifier.classCount == 2)
        // Logits: row sums and row sums + 1; the larger always wins.
        #expect(try classifier.predict(x).allSatisfy { $0 == 1 })
    }

    @Test("inconsistent layers and inputs are refused")
    func badShapes() {
        let w = Matrix<Double>(rows: 2, columns: 3)
        #expect(throws: MetricsError.self) { try FeatureClassifier(layers: [.init(weight: w, bias: [0, 0])]) }
        #expect(throws: MetricsError.self) {
            try FeatureClassifier(layers: [.init(weight: w, bias: [0, 0]), .init(weight: w, bias: [0, 0])])
        }
    }
}
