/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) with PyTorch's exact update
/// (`torch.optim.Adam` / `AdamW`, single-tensor path, amsgrad off). For step t with gradient g:
///
///     g ← g + λ θ                       (Adam with weight decay λ: L2 added to the gradient)
///     θ ← θ (1 − η λ)                   (AdamW: decoupled decay, applied first)
///     m ← m + (1 − β₁)(g − m)           (exp_avg.lerp_)
///     v ← β₂ v + (1 − β₂) g²            (exp_avg_sq)
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// ε is added outside the square root, after bias correction, as PyTorch does. The scalar factors
/// are computed in Double (as Python floats) and the element updates in the parameter precision.
public struct Adam<Scalar: MatrixScalar>: Optimizer {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    /// True for AdamW.
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    /// First-moment estimates, named like the parameters (empty before the first step).
    public private(set) var firstMoments = NamedTensors<Scalar>()
    /// Second-moment estimates, named like the parameters (empty before the first step).
    public private(set) var secondMoments = NamedTensors<Scalar>()

    /// `torch.optim.Adam` defaults: η = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0) throws(NNError) {
        try self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                      weightDecay: weightDecay, decoupled: false)
    }

    /// `torch.optim.AdamW` defaults: as Adam but λ = 1e-2, decoupled.
    public static func adamW(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                             epsilon: Double = 1e-8, weightDecay: Double = 1e-2) throws(NNError) -> Adam {
        try Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                 weightDecay: weightDecay, decoupled: true)
    }

    private init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double,
                 decoupled: Bool) throws(NNError) {
        guard learningRate >= 0, (0..<1).contains(beta1), (0..<1).contains(beta2), epsilon >= 0, weightDecay >= 0 else {
            throw .invalidConfiguration("Adam with lr \(learningRate), betas (\(beta1), \(beta2)), eps \(epsilon), weight decay \(weightDecay)")
        }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        decoupledWeightDecay = decoupled
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func step(_ parameters: inout NamedTensors<Scalar>, gradients: NamedTensors<Scalar>) throws(NNError) {
        guard learningRate >= 0, learningRate.isFinite else {
            throw .invalidConfiguration("\(Self.self) learning rate \(learningRate)")
        }
        try parameters.checkMatches(gradients, role: "gradients")
        if stepCount == 0 {
            firstMoments = parameters.zeros()
            secondMoments = parameters.zeros()
        } else {
            try parameters.checkMatches(firstMoments, role: "Adam state")
        }
        stepCount += 1
        let t = Double(stepCount)
        let stepSize = Scalar(learningRate / (1 - Double.pow(beta1, t)))
        let correction2 = Scalar((1 - Double.pow(beta2, t)).squareRoot())
        let decay = Scalar(decoupledWeightDecay ? 1 - learningRate * weightDecay : 1)
        let l2 = Scalar(decoupledWeightDecay ? 0 : weightDecay)
        let w1 = Scalar(1 - beta1), b2 = Scalar(beta2), w2 = Scalar(1 - beta2), eps = Scalar(epsilon)
        // Per element, in this order and without FMA (the C kernel keeps both):
        //   p ← p·decay;  g ← g + l2·p;  m ← m + w1 (g − m);  v ← b2 v + w2 g g;  p ← p − stepSize·m / (√v / correction2 + ε)
        let constants = [decay, l2, w1, b2, w2, stepSize, correction2, eps]
        for k in parameters.indices {
            gradients.tensors[k].value.scalars.withUnsafeBufferPointer { g in
                parameters.tensors[k].value.scalars.withUnsafeMutableBufferPointer { p in
                    firstMoments.tensors[k].value.scalars.withUnsafeMutableBufferPointer { m in
                        secondMoments.tensors[k].value.scalars.withUnsafeMutableBufferPointer { v in
                            guard let pp = p.baseAddress, let gp = g.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress
                            else { return }
                            Scalar.kernelAdamStep(parameters: pp, gradients: gp, firstMoments: mp, secondMoments: vp,
                                                  count: p.count, constants: constants)
                        }
                    }
                }
            }
        }
    }

    public var state: NamedTensors<Scalar> {
        NamedTensors([stepTensor] + stateTensors(firstMoments, suffix: "exp_avg") + stateTensors(secondMoments, suffix: "exp_avg_sq"))
    }

    public mutating func load(state: [String: Matrix<Scalar>], for parameters: NamedTensors<Scalar>) throws(NNError) {
        var reader = StateReader(state)
        let steps = try reader.takeStepCount()
        let first = steps == 0 ? NamedTensors() : try reader.takeStateTensors(suffix: "exp_avg", for: parameters)
        let second = steps == 0 ? NamedTensors() : try reader.takeStateTensors(suffix: "exp_avg_sq", for: parameters)
        try reader.finish()
        (stepCount, firstMoments, secondMoments) = (steps, first, second)
    }
}
