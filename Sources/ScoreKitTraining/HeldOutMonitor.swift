/// Periodic held-out evaluation of a run (`scorekit train --holdout f --eval-every k`): the EMA
/// model's `DenoisingEvaluation` on (at most `maxRows`) held-out rows and on as many training
/// rows, with the same buckets, weighting and fixed noise. The two values differ little while
/// the model generalises and part when it memorises its training rows.
public struct HeldOutMonitor<Scalar: MatrixScalar>: Sendable {
    public let heldOut: DenoisingEvaluation<Scalar>
    public let training: DenoisingEvaluation<Scalar>

    /// `heldOut` must have at least one row; the first min(rows, `maxRows`) rows of each set are used.
    public init(heldOut: Matrix<Scalar>, training: Matrix<Scalar>, configuration: TrainingConfiguration,
                maxRows: Int = 512) throws(TrainingError) {
        let n = Swift.min(heldOut.rows, training.rows, maxRows)
        guard n > 0 else { throw .invalidData("no held-out rows to evaluate on") }
        func evaluation(_ data: Matrix<Scalar>) -> DenoisingEvaluation<Scalar> {
            DenoisingEvaluation(data: data.rows(0..<n), buckets: configuration.buckets, weighting: configuration.weighting,
                                noiseDistribution: configuration.noiseDistribution, seed: configuration.seed)
        }
        self.heldOut = evaluation(heldOut)
        self.training = evaluation(training)
    }

    /// The loss-curve point of the trainer's current step (EMA weights) and the held-out loss per bucket.
    public func evaluate(_ trainer: Trainer<Scalar>) throws(TrainingError) -> (point: LossCurve.Point, buckets: BucketLosses) {
        let model = try trainer.emaDenoiser
        let held = try heldOut.evaluate(model)
        return (LossCurve.Point(step: trainer.step, heldOutLoss: held.loss, trainEvalLoss: try training.evaluate(model).loss),
                held.buckets)
    }
}
