/// What one optimizer step reports.
public struct StepReport: Sendable, Equatable {
    /// The number of steps completed, this one included.
    public let step: Int
    /// The batch loss L before the update.
    public let loss: Double
    /// The global gradient norm before clipping.
    public let gradientNorm: Double
    public let learningRate: Double
}

/// The record of a call to `Trainer.train`.
public struct TrainingLog: Sendable, Equatable {
    public var losses: [Double] = []
    public var gradientNorms: [Double] = []
    public var buckets: BucketLosses
}

/// Denoising score matching on a data matrix (papers.md §0.3): at step t, row r of the batch is a
/// data point x₀ (from `ShuffledBatches`), a level σ from the noise distribution and noise ε, and
/// the network is trained on λ(σ) ‖D(x₀ + σε; σ) − x₀‖².
///
/// Randomness is addressed, not streamed: with n = t·B + r, ε is draw 0 of sample n of
/// `CounterNormalRNG(seed)`, the normal behind σ is draw 1 and the uniform draw 2; the initial
/// weights come from `PhiloxGenerator(seed:, stream: 2⁶²)`. So the state of a run is its weights,
/// optimizer state, EMA and step count — exactly what a checkpoint stores — and a resumed run
/// repeats an uninterrupted one bit for bit. Single-threaded apart from BLAS.
public struct Trainer<Scalar: MatrixScalar>: Sendable {
    public let configuration: TrainingConfiguration
    public let data: Matrix<Scalar>
    public internal(set) var model: NetworkDenoiser<Scalar>
    public internal(set) var optimizer: any Optimizer<Scalar>
    public internal(set) var ema: ExponentialMovingAverage<Scalar>
    /// Steps completed.
    public internal(set) var step = 0
    private var batches: ShuffledBatches
    private let noise: CounterNormalRNG

    /// The Philox stream of the initial weights (epochs' shuffles use streams 0, 1, …).
    static var initializationStream: UInt64 { 1 << 62 }

    /// A fresh run at step 0.
    public init(configuration: TrainingConfiguration, data: Matrix<Scalar>) throws(TrainingError) {
        try configuration.validate()
        guard data.rows > 0, data.columns == configuration.model.dataDimension else {
            throw .invalidData("\(data.rows) × \(data.columns) data for a model of dimension \(configuration.model.dataDimension)")
        }
        guard data.isFinite else { throw .invalidData("the data contains NaN or infinite values") }
        var generator = PhiloxGenerator(seed: configuration.seed, stream: Self.initializationStream)
        let network = try wrappingNN { () throws(NNError) in try MLPDenoiserNet<Scalar>(configuration.model, using: &generator) }
        self.configuration = configuration
        self.data = data
        model = try NetworkDenoiser(network: network, parameterization: configuration.parameterization)
        optimizer = try configuration.optimizer.make(learningRate: configuration.learningRate.rate(atStep: 0), as: Scalar.self)
        ema = ExponentialMovingAverage(network.parameters)
        batches = try ShuffledBatches(rowCount: data.rows, batchSize: configuration.batchSize, seed: configuration.seed)
        noise = CounterNormalRNG(seed: configuration.seed)
    }

    /// The denoiser with the EMA weights (what sampling uses).
    public var emaDenoiser: NetworkDenoiser<Scalar> {
        get throws(TrainingError) {
            var m = model
            try m.load(parameters: ema.average)
            return m
        }
    }

    /// The clean batch, noise levels and noised inputs of step t (a pure function of t).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func batch(forStep t: Int) -> (clean: Matrix<Scalar>, sigmas: [Scalar], noised: Matrix<Scalar>) {
        let b = configuration.batchSize
        let clean = data.rows(at: batches.indices(forStep: t))
        let first = t * b
        let epsilon: Matrix<Scalar> = noise.normals(rows: b, columns: data.columns, firstSample: first, draw: 0)
        let z: Matrix<Scalar> = noise.normals(rows: b, columns: 1, firstSample: first, draw: 1)
        let u: Matrix<Scalar> = noise.uniforms(rows: b, columns: 1, firstSample: first, draw: 2)
        let sigmas = (0..<b).map { r in
            Scalar(configuration.noiseDistribution.sigma(uniform: Double(u.scalars[r]), normal: Double(z.scalars[r])))
        }
        return (clean, sigmas, clean + epsilon.scalingRows(by: sigmas))
    }

    /// One optimizer step; adds the batch's rows to `buckets`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func trainStep(buckets: inout BucketLosses) throws(TrainingError) -> StepReport {
        let (clean, sigmas, noised) = batch(forStep: step)
        let pass = try model.forward(noised, sigmas: sigmas)
        let loss = DenoisingScoreMatchingLoss(denoised: pass.denoised, clean: clean, sigmas: sigmas,
                                              weighting: configuration.weighting)
        var gradients = try model.backward(loss.gradient, pass: pass)
        let norm = configuration.gradientClipNorm.map { gradients.clipNorm(to: $0) } ?? gradients.squaredNorm().squareRoot()
        guard loss.value.isFinite, norm.isFinite else { throw .nonFiniteLoss(step: step + 1) }
        let rate = configuration.learningRate.rate(atStep: step)
        optimizer.learningRate = rate
        var parameters = model.network.parameters
        try wrappingNN { () throws(NNError) in
            try optimizer.step(&parameters, gradients: gradients)
            try ema.update(with: parameters, beta: configuration.emaDecay)
        }
        try model.load(parameters: parameters)
        buckets.add(loss, sigmas: sigmas)
        step += 1
        return StepReport(step: step, loss: loss.value, gradientNorm: norm, learningRate: rate)
    }

    /// `count` steps (fewer if the configured total is reached), reporting each to `progress`.
    public mutating func train(steps count: Int, progress: (StepReport) -> Void = { _ in }) throws(TrainingError) -> TrainingLog {
        var log = TrainingLog(buckets: BucketLosses(buckets: configuration.buckets))
        let end = Swift.min(configuration.steps, step + Swift.max(count, 0))
        while step < end {
            let report = try trainStep(buckets: &log.buckets)
            log.losses.append(report.loss)
            log.gradientNorms.append(report.gradientNorm)
            progress(report)
        }
        return log
    }

    /// Trains until the configured total number of steps.
    public mutating func trainToEnd(progress: (StepReport) -> Void = { _ in }) throws(TrainingError) -> TrainingLog {
        try train(steps: configuration.steps - step, progress: progress)
    }
}
