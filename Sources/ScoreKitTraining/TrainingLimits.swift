/// Upper bounds on the memory a `TrainingConfiguration` may ask for, checked by `validate` before
/// anything is allocated, so that a configuration from a stranger (a JSON file, a checkpoint's
/// metadata) asking for width 10⁹ or batch 10¹² is refused with one clear error instead of
/// exhausting memory (issue 9, "resource bounds"). Counts are of scalars, whatever the precision.
public struct TrainingLimits: Sendable, Equatable {
    /// The most trainable scalars of the network (`MLPDenoiserNetConfiguration.parameterCount`).
    /// A run holds about five copies: weights, gradients, two Adam moments and the EMA.
    public var maxParameters: Int
    /// The most activation scalars of one training step: batch size ×
    /// `MLPDenoiserNetConfiguration.activationsPerRow` (every layer's output, kept for backward).
    public var maxActivations: Int

    public init(maxParameters: Int, maxActivations: Int) {
        self.maxParameters = maxParameters
        self.maxActivations = maxActivations
    }

    /// 2²⁷ parameters (134 M) and 2³⁵ activation scalars: the largest run this project plans
    /// (64-D data, width and hidden width 1024, depth 16, FiLM by a 1024-wide mapping network,
    /// batch 65536) has 68.4 M parameters and needs 2³²·⁹ activations, so both limits leave room
    /// to spare; widths of 10⁹ or batches of 10¹² are refused. (In Float: 512 MiB per copy of
    /// the weights, 128 GiB of activations.)
    public static let standard = TrainingLimits(maxParameters: 1 << 27, maxActivations: 1 << 35)

    /// Throws `.invalidConfiguration` unless `model` is a network `MLPDenoiserNet` can build with
    /// at most `maxParameters` parameters (sizes that overflow `Int` included).
    func check(_ model: MLPDenoiserNetConfiguration) throws(TrainingError) {
        let parameters = try configurationError { () throws(NNError) in
            try model.validate()
            return try model.parameterCount
        }
        guard parameters <= maxParameters else {
            throw .invalidConfiguration("the network has \(parameters) parameters, more than the limit of \(maxParameters)")
        }
    }

    /// Throws `.invalidConfiguration` naming the limit when `model` trained at `batchSize` would
    /// exceed it (or its sizes overflow `Int`).
    func check(_ model: MLPDenoiserNetConfiguration, batchSize: Int) throws(TrainingError) {
        try check(model)
        let perRow = try configurationError { () throws(NNError) in try model.activationsPerRow }
        let (activations, overflow) = batchSize.multipliedReportingOverflow(by: perRow)
        guard !overflow, activations <= maxActivations else {
            throw .invalidConfiguration("a batch of \(batchSize) needs \(overflow ? "more than Int.max" : String(activations)) activation scalars (\(perRow) per row), more than the limit of \(maxActivations)")
        }
    }

    /// The network's own checks, reported as a configuration error.
    private func configurationError<T>(_ body: () throws(NNError) -> T) throws(TrainingError) -> T {
        do { return try body() } catch {
            guard case .invalidConfiguration(let what) = error else { throw .network(error) }
            throw .invalidConfiguration(what)
        }
    }
}
