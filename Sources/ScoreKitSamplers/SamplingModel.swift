import Synchronization
@_exported import ScoreKitDiffusion

/// What a sampler reports after each step's first model evaluation (k-diffusion's callback):
/// the state *before* the update, the step's σ, the churned σ̂ (= σ without churn) and D(x; σ̂).
public struct StepEvent<Scalar: MatrixScalar>: Sendable {
    public let step: Int
    public let sigma: Scalar
    public let sigmaHat: Scalar
    public let x: Matrix<Scalar>
    public let denoised: Matrix<Scalar>

    public init(step: Int, sigma: Scalar, sigmaHat: Scalar, x: Matrix<Scalar>, denoised: Matrix<Scalar>) {
        self.step = step
        self.sigma = sigma
        self.sigmaHat = sigmaHat
        self.x = x
        self.denoised = denoised
    }
}

/// A flag another thread can raise to stop a running sampler at its next model call.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

public enum SamplingError: Error, Equatable, CustomStringConvertible {
    case cancelled
    case invalidSchedule(String)
    case invalidOption(String)
    case noiseExhausted(available: Int)
    case noiseShape(String)

    public var description: String {
        switch self {
        case .cancelled: return "sampling was cancelled"
        case .invalidSchedule(let why): return "invalid σ schedule: \(why)"
        case .invalidOption(let why): return "invalid sampler option: \(why)"
        case .noiseExhausted(let k): return "the replayed noise file holds only \(k) draws; the sampler needs more"
        case .noiseShape(let why): return "noise draw has the wrong shape: \(why)"
        }
    }
}

/// The denoiser as a sampler sees it: counts batched evaluations (NFE), forwards step events to
/// the observer and honours cancellation. A class because every step of a sampler shares it.
public final class SamplingModel<D: Denoiser> {
    public typealias Scalar = D.Scalar
    public let denoiser: D
    public private(set) var nfe = 0
    private let observer: ((StepEvent<Scalar>) -> Void)?
    private let cancellation: CancellationToken?

    public init(_ denoiser: D, cancellation: CancellationToken? = nil,
                observer: ((StepEvent<Scalar>) -> Void)? = nil) {
        self.denoiser = denoiser
        self.cancellation = cancellation
        self.observer = observer
    }

    /// `D(x; σ)`, counted as one function evaluation.
    public func callAsFunction(_ x: Matrix<Scalar>, _ sigma: Scalar) throws -> Matrix<Scalar> {
        if cancellation?.isCancelled == true { throw SamplingError.cancelled }
        nfe += 1
        return try denoiser.denoise(x, sigma: sigma)
    }

    /// Reports a step to the observer (k-diffusion's `callback`).
    public func observe(step: Int, sigma: Scalar, sigmaHat: Scalar, x: Matrix<Scalar>, denoised: Matrix<Scalar>) {
        observer?(StepEvent(step: step, sigma: sigma, sigmaHat: sigmaHat, x: x, denoised: denoised))
    }
}
