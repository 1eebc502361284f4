/// An exponential moving average of the trainable parameters, θ_ema ← θ + β (θ_ema − θ)
/// (PyTorch `p_net.lerp(p_ema, β)`), used for sampling instead of the raw weights.
///
/// β comes either from a fixed decay (NCSNv2 / score_sde: 0.999, 0.9999) or from EDM's
/// half-life in images (`training_loop.py`): with n images seen before this step,
///
///     h = halflife_kimg · 1000,   h ← min(h, n · rampup_ratio) when ramping up,
///     β = 0.5^(batch_size / max(h, 1e-8)),
///
/// so the average forgets half its weight every h images (and β = 0 on the first step of a ramp-up).
public struct ExponentialMovingAverage<Scalar: MatrixScalar>: Sendable, Equatable {
    /// The averaged parameters, named like the model's (load with `load(parameters:)`).
    public private(set) var average: NamedTensors<Scalar>

    /// Starts the average at the current parameters.
    public init(_ parameters: NamedTensors<Scalar>) { average = parameters }

    /// One update with decay β ∈ [0, 1].
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func update(with parameters: NamedTensors<Scalar>, beta: Double) throws(NNError) {
        guard (0...1).contains(beta) else { throw .invalidConfiguration("EMA decay \(beta) outside [0, 1]") }
        try average.checkMatches(parameters, role: "parameters")
        let b = Scalar(beta)
        for k in average.indices {
            parameters.tensors[k].value.scalars.withUnsafeBufferPointer { p in
                average.tensors[k].value.scalars.withUnsafeMutableBufferPointer { a in
                    guard let ap = a.baseAddress, let pp = p.baseAddress else { return }
                    Scalar.kernelEMALerp(ap, pp, count: a.count, beta: b)
                }
            }
        }
    }

    /// EDM's β for a step of `batchSize` images after `imagesSeen` images (`cur_nimg` before the step).
    public static func halfLifeBeta(batchSize: Int, halfLifeKimg: Double, imagesSeen: Int,
                                    rampUpRatio: Double? = 0.05) -> Double {
        var halfLife = halfLifeKimg * 1000
        if let rampUpRatio { halfLife = Swift.min(halfLife, Double(imagesSeen) * rampUpRatio) }
        return Double.pow(0.5, Double(batchSize) / Swift.max(halfLife, 1e-8))
    }
}
