/// A first-order optimizer with PyTorch's update semantics. Its state (moment estimates, momentum
/// buffers, step count) is exposed as named matrices so a checkpoint can store and restore it
/// exactly; names are `<parameter>.<state>` as in PyTorch's per-parameter state
/// (`exp_avg`, `exp_avg_sq`, `momentum_buffer`) plus a 1-element `step`.
public protocol Optimizer<Scalar>: Sendable {
    associatedtype Scalar: MatrixScalar
    /// The rate of the next step (set it from a `LearningRateSchedule` before each step).
    var learningRate: Double { get set }
    /// The number of steps taken.
    var stepCount: Int { get }
    /// One update of `parameters` in place from `gradients` (same names, shapes and order).
    mutating func step(_ parameters: inout NamedTensors<Scalar>, gradients: NamedTensors<Scalar>) throws(NNError)
    /// The state as named matrices.
    var state: NamedTensors<Scalar> { get }
    /// Restores a state saved from `state`, checked against the parameters it belongs to.
    mutating func load(state: [String: Matrix<Scalar>], for parameters: NamedTensors<Scalar>) throws(NNError)
}

extension Module {
    /// One optimizer step on this module's trainable parameters (buffers are untouched).
    public mutating func update(using optimizer: inout some Optimizer<Scalar>,
                                gradients: NamedTensors<Scalar>) throws(NNError) {
        var p = parameters
        try optimizer.step(&p, gradients: gradients)
        try load(parameters: p)
    }
}

extension Optimizer {
    /// The `step` entry of the state: the count as a 1-element vector (exact in Float up to 2²⁴),
    /// like PyTorch's float `step` tensor.
    var stepTensor: NamedTensor<Scalar> {
        NamedTensor(name: "step", value: Matrix(row: [Scalar(stepCount)]), isVector: true, isTrainable: false)
    }
}

extension StateReader {
    /// The step count stored by `Optimizer.stepTensor`.
    mutating func takeStepCount() throws(NNError) -> Int {
        let s = try take("step", replacing: Matrix(row: [0]), isVector: true)
        let v = s.scalars[0]
        guard v >= 0, v == v.rounded(), v < Scalar(Int32.max) else {
            throw .invalidConfiguration("optimizer step count \(v) is not a non-negative integer")
        }
        return Int(v)
    }

    /// The per-parameter state tensors `<parameter>.<suffix>`, shape-checked against the parameters
    /// and named like them.
    mutating func takeStateTensors(suffix: String, for parameters: NamedTensors<Scalar>) throws(NNError) -> NamedTensors<Scalar> {
        var out = NamedTensors<Scalar>()
        for p in parameters {
            let value = try take(p.name + "." + suffix, replacing: p.value, isVector: p.isVector)
            out.append(NamedTensor(name: p.name, value: value, isVector: p.isVector))
        }
        return out
    }
}

/// `state` entries `<parameter>.<suffix>` for a list of per-parameter tensors.
func stateTensors<Scalar>(_ tensors: NamedTensors<Scalar>, suffix: String) -> [NamedTensor<Scalar>] {
    tensors.map { NamedTensor(name: $0.name + "." + suffix, value: $0.value, isVector: $0.isVector, isTrainable: false) }
}
