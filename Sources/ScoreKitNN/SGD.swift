/// Stochastic gradient descent with momentum, PyTorch `torch.optim.SGD` with dampening 0:
///
///     g ← g + λ θ                         (weight decay λ)
///     b ← g on the first step, else μ b + g
///     θ ← θ − η (g + μ b)   with Nesterov, else θ − η b
///
/// With μ = 0 there is no buffer and this is plain gradient descent.
public struct SGD<Scalar: MatrixScalar>: Optimizer {
    public var learningRate: Double
    public var momentum: Double
    public var weightDecay: Double
    public let nesterov: Bool
    public private(set) var stepCount = 0
    /// PyTorch's `momentum_buffer`, named like the parameters (empty before the first step or when μ = 0).
    public private(set) var momentumBuffers = NamedTensors<Scalar>()

    public init(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) throws(NNError) {
        guard learningRate >= 0, momentum >= 0, weightDecay >= 0, !(nesterov && momentum == 0) else {
            throw .invalidConfiguration("SGD with lr \(learningRate), momentum \(momentum), weight decay \(weightDecay), nesterov \(nesterov) (Nesterov needs momentum > 0)")
        }
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    // Specialised here because the element loop is far too slow through generic witnesses.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func step(_ parameters: inout NamedTensors<Scalar>, gradients: NamedTensors<Scalar>) throws(NNError) {
        guard learningRate >= 0, learningRate.isFinite else {
            throw .invalidConfiguration("\(Self.self) learning rate \(learningRate)")
        }
        try parameters.checkMatches(gradients, role: "gradients")
        let usesBuffer = momentum != 0
        let first = momentumBuffers.isEmpty
        if usesBuffer && first {
            momentumBuffers = parameters.zeros()
        } else if usesBuffer {
            try parameters.checkMatches(momentumBuffers, role: "SGD momentum buffers")
        }
        stepCount += 1
        let lr = Scalar(learningRate), mu = Scalar(momentum), l2 = Scalar(weightDecay), nesterov = nesterov
        for k in parameters.indices {
            gradients.tensors[k].value.scalars.withUnsafeBufferPointer { g in
                parameters.tensors[k].value.scalars.withUnsafeMutableBufferPointer { p in
                    guard usesBuffer else {
                        for i in p.indices { p[i] -= lr * (g[i] + l2 * p[i]) }
                        return
                    }
                    momentumBuffers.tensors[k].value.scalars.withUnsafeMutableBufferPointer { b in
                        for i in p.indices {
                            let gi = g[i] + l2 * p[i]
                            b[i] = first ? gi : mu * b[i] + gi
                            p[i] -= lr * (nesterov ? gi + mu * b[i] : b[i])
                        }
                    }
                }
            }
        }
    }

    public var state: NamedTensors<Scalar> {
        NamedTensors([stepTensor] + stateTensors(momentumBuffers, suffix: "momentum_buffer"))
    }

    public mutating func load(state: [String: Matrix<Scalar>], for parameters: NamedTensors<Scalar>) throws(NNError) {
        var reader = StateReader(state)
        let steps = try reader.takeStepCount()
        let buffers = steps > 0 && momentum != 0 ? try reader.takeStateTensors(suffix: "momentum_buffer", for: parameters) : NamedTensors()
        try reader.finish()
        (stepCount, momentumBuffers) = (steps, buffers)
    }
}
