/// Collects a run's step events into a `TrajectoryRecord`: pass `recorder.observe` as the
/// `SamplingModel`'s observer, then `finish` with the sampler's result.
///
/// Like the ring8 oracle's callback, an event at the same σ̂ as the previous one replaces it
/// (adaptive samplers report rejected attempts), so each σ appears once.
public final class TrajectoryRecorder<Scalar: MatrixScalar> {
    private var sigmas: [Scalar] = []
    private var states: [Matrix<Scalar>] = []
    private var denoised: [Matrix<Scalar>] = []

    public init() {}

    /// Records the state at the start of a step: σ̂ (the noise level of `event.x`), x and D.
    public func observe(_ event: StepEvent<Scalar>) {
        if sigmas.last == event.sigmaHat { drop() }
        sigmas.append(event.sigmaHat)
        states.append(event.x)
        denoised.append(event.denoised)
    }

    /// The record with the final output `x` at `sigma` appended. At σ = 0 its D is `x` itself;
    /// at the σ of the last event the final state takes that entry's place and keeps its D (the
    /// ring8 oracle's rule); otherwise `denoised` must be given.
    public func finish(_ x: Matrix<Scalar>, sigma: Scalar, denoised finalDenoised: Matrix<Scalar>? = nil, nfe: Int)
        throws -> TrajectoryRecord<Scalar>
    {
        var d = finalDenoised
        if sigma == 0 {
            d = d ?? x
        } else if let last = sigmas.last, abs(last - sigma) <= 1e-12 * sigma {
            d = d ?? denoised.last
            drop()
        }
        guard let d else { throw TrajectoryError.missingFinalDenoised(sigma: Double(sigma)) }
        let all = states + [x, d] + denoised
        guard all.allSatisfy({ $0.rows == x.rows && $0.columns == x.columns }) else {
            throw TrajectoryError.shapeChanged("the final state is \(x.rows)×\(x.columns)")
        }
        return TrajectoryRecord(sigmas: sigmas + [sigma], x: states + [x], denoised: denoised + [d], nfe: nfe)
    }

    private func drop() {
        sigmas.removeLast()
        states.removeLast()
        denoised.removeLast()
    }
}
