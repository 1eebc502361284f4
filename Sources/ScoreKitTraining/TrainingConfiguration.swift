/// The optimizer of a run (PyTorch semantics, `ScoreKitNN`).
public enum OptimizerChoice: Codable, Equatable, Sendable {
    case adam(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)
    case adamW(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)
    case sgd(momentum: Double, nesterov: Bool)

    /// `torch.optim.Adam` defaults.
    public static let adamDefault = OptimizerChoice.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)

    /// Throws unless every coefficient is finite and in the optimizer's range (β ∈ [0, 1), ε ≥ 0,
    /// weight decay ≥ 0, momentum ≥ 0, Nesterov only with momentum).
    func validate() throws(TrainingError) {
        let coefficients: [Double] = switch self {
        case .adam(let b1, let b2, let eps, let wd), .adamW(let b1, let b2, let eps, let wd): [b1, b2, eps, wd]
        case .sgd(let momentum, _): [momentum]
        }
        guard coefficients.allSatisfy(\.isFinite) else { throw .invalidConfiguration("optimizer \(self) has a non-finite coefficient") }
        _ = try make(learningRate: 0, as: Double.self)
    }

    /// A fresh optimizer at learning rate η.
    func make<Scalar: MatrixScalar>(learningRate: Double, as _: Scalar.Type) throws(TrainingError) -> any Optimizer<Scalar> {
        try wrappingNN { () throws(NNError) -> any Optimizer<Scalar> in
            switch self {
            case .adam(let b1, let b2, let eps, let wd):
                return try Adam<Scalar>(learningRate: learningRate, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
            case .adamW(let b1, let b2, let eps, let wd):
                return try Adam<Scalar>.adamW(learningRate: learningRate, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
            case .sgd(let momentum, let nesterov):
                return try SGD<Scalar>(learningRate: learningRate, momentum: momentum, nesterov: nesterov)
            }
        }
    }
}

/// Everything that determines a training run (with the data): stored in every checkpoint's
/// metadata and in `config.json`, and read back by `scorekit train --config`.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    public var model: MLPDenoiserNetConfiguration
    public var parameterization: NetworkParameterization
    public var noiseDistribution: NoiseDistribution
    public var weighting: LossWeighting
    public var batchSize: Int
    /// The total number of optimizer steps of the run.
    public var steps: Int
    public var learningRate: LearningRateSchedule
    public var optimizer: OptimizerChoice
    /// Clip the global gradient norm to this (nil: no clipping).
    public var gradientClipNorm: Double?
    /// EMA decay β per step (θ_ema ← θ + β (θ_ema − θ)).
    public var emaDecay: Double
    /// Seeds the initial weights, the data order and the per-step noise.
    public var seed: UInt64
    public var buckets: SigmaBuckets

    /// EDM's recipe (preconditioning, log-normal σ, λ = 1/c_out², Adam) on a small MLP.
    public init(model: MLPDenoiserNetConfiguration, parameterization: NetworkParameterization = .preconditioned(.edmDefault),
                noiseDistribution: NoiseDistribution = .edm, weighting: LossWeighting = .edm(sigmaData: 0.5),
                batchSize: Int = 256, steps: Int = 1000, learningRate: LearningRateSchedule,
                optimizer: OptimizerChoice = .adamDefault, gradientClipNorm: Double? = nil, emaDecay: Double = 0.999,
                seed: UInt64 = 0, buckets: SigmaBuckets = .standard) {
        self.model = model
        self.parameterization = parameterization
        self.noiseDistribution = noiseDistribution
        self.weighting = weighting
        self.batchSize = batchSize
        self.steps = steps
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.gradientClipNorm = gradientClipNorm
        self.emaDecay = emaDecay
        self.seed = seed
        self.buckets = buckets
    }

    /// Checks every setting (the decoded JSON is validated here, before any work), including that
    /// the network and a batch fit `limits` and that the run's sample indices (step × batch size +
    /// row, which address its noise) fit `Int`.
    public func validate(limits: TrainingLimits = .standard) throws(TrainingError) {
        try parameterization.validate()
        try noiseDistribution.validate()
        try weighting.validate()
        try optimizer.validate()
        guard batchSize > 0 else { throw .invalidConfiguration("batch size \(batchSize)") }
        guard steps >= 0 else { throw .invalidConfiguration("steps \(steps)") }
        guard !steps.multipliedReportingOverflow(by: batchSize).overflow else {
            throw .invalidConfiguration("\(steps) steps of batch size \(batchSize) overflow the sample counter")
        }
        guard (0...1).contains(emaDecay) else { throw .invalidConfiguration("EMA decay \(emaDecay) outside [0, 1]") }
        if let c = gradientClipNorm, !(c > 0 && c.isFinite) { throw .invalidConfiguration("gradient clip norm \(c)") }
        try parameterization.check(model)
        try limits.check(model, batchSize: batchSize)
    }
}
