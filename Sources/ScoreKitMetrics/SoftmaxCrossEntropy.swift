/// The mean softmax cross-entropy of class logits against integer labels, and its gradient:
///
///     L = (1/B) Σ_b [ LSE(z_b) − z_{b, y_b} ],     ∂L/∂z_b = (softmax(z_b) − e_{y_b}) / B,
///
/// with the log-sum-exp taken stably (max-shifted, `logSumExpRows`). The gradient is written out
/// by hand (the project differentiates nothing automatically) and checked against finite
/// differences in the tests. Used to train the digit classifier of `Metrics.classifierFrechetDistance`.
public struct SoftmaxCrossEntropy<Scalar: MatrixScalar>: Sendable {
    /// L, in nats (accumulated in Double).
    public let loss: Double
    /// ∂L/∂logits, B × K.
    public let logitGradient: Matrix<Scalar>

    /// - Parameters:
    ///   - logits: B × K, finite, B ≥ 1.
    ///   - labels: B class indices in 0..<K.
    public init(logits: Matrix<Scalar>, labels: [Int]) throws(MetricsError) {
        try Validate.points(logits, "logits", minimum: 1)
        guard labels.count == logits.rows else {
            throw .dimensionMismatch(what: "labels", expected: logits.rows, found: labels.count)
        }
        if let bad = labels.first(where: { !(0..<logits.columns).contains($0) }) {
            throw .invalidParameter("label \(bad) outside 0..<\(logits.columns)")
        }
        let lse = logits.logSumExpRows()
        var total = 0.0
        for (b, y) in labels.enumerated() { total += Double(lse[b] - logits[b, y]) }
        let batch = Scalar(logits.rows)
        var gradient = logits.softmaxRows()
        for (b, y) in labels.enumerated() { gradient[b, y] -= 1 }
        loss = total / Double(logits.rows)
        logitGradient = gradient / batch
    }
}
