/// Checks mixture or sample weights (finite, ≥ 0, positive total) and returns them divided by
/// their sum. With `requireUnitSum`, the total must already be 1 up to √ε (mixture parameters read
/// from a file); otherwise any positive total is accepted (importance weights).
func normalisedWeights<Scalar: MatrixScalar>(
    _ weights: [Scalar], count: Int, requireUnitSum: Bool
) throws(DenoiserError) -> [Scalar] {
    guard weights.count == count else {
        throw .shapeMismatch("\(weights.count) weights for \(count) points or components")
    }
    guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
        throw .invalidWeights("every weight must be finite and non-negative")
    }
    let total = weights.reduce(0, +)
    guard total > 0 else { throw .invalidWeights("the weights sum to 0") }
    if requireUnitSum && Swift.abs(total - 1) > Scalar.ulpOfOne.squareRoot() {
        throw .invalidWeights("the weights sum to \(total), not 1")
    }
    return weights.map { $0 / total }
}
