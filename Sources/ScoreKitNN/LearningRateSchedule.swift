/// The learning rate as a function of the optimizer step: an optional linear warm-up followed by
/// a constant, cosine or step decay.
///
/// Steps are counted from 0 (the index of the step about to be taken). Warm-up multiplies by
/// min(1, (t + 1)/warmupSteps), so the first step already moves (EDM's ramp-up instead starts at
/// exactly 0: `lr · min(cur_nimg / rampup_nimg, 1)`). Decays are measured from the end of warm-up:
///
/// * cosine (PyTorch `CosineAnnealingLR` closed form): η_min + (η − η_min)(1 + cos(π p))/2 with
///   p = (t − warmup)/(totalSteps − warmup), held at η_min after `totalSteps`;
/// * step (PyTorch `StepLR`): η · γ^⌊(t − warmup)/every⌋.
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    public enum Decay: Sendable, Equatable, Codable {
        case constant
        case cosine(totalSteps: Int, minimum: Double)
        case step(every: Int, factor: Double)
    }

    public let base: Double
    public let warmupSteps: Int
    public let decay: Decay

    public init(base: Double, warmupSteps: Int = 0, decay: Decay = .constant) throws(NNError) {
        guard base >= 0, base.isFinite, warmupSteps >= 0 else {
            throw .invalidConfiguration("learning rate \(base) with \(warmupSteps) warm-up steps")
        }
        switch decay {
        case .constant: break
        case .cosine(let total, let minimum):
            guard total > warmupSteps, minimum >= 0, minimum <= base else {
                throw .invalidConfiguration("cosine decay over \(total) steps to \(minimum) after \(warmupSteps) warm-up steps from \(base)")
            }
        case .step(let every, let factor):
            guard every > 0, factor > 0, factor.isFinite else { throw .invalidConfiguration("step decay every \(every) steps by \(factor)") }
        }
        self.base = base
        self.warmupSteps = warmupSteps
        self.decay = decay
    }

    /// Decoding validates like `init`, so a bad config file is an error, not a division by zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(base: c.decode(Double.self, forKey: .base), warmupSteps: c.decode(Int.self, forKey: .warmupSteps),
                          decay: c.decode(Decay.self, forKey: .decay))
        } catch let error as NNError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// The rate for step `t` (0-based; negative steps count as 0).
    public func rate(atStep step: Int) -> Double {
        let t = Swift.max(0, step)
        let warmup = warmupSteps > 0 ? Swift.min(1, Double(t + 1) / Double(warmupSteps)) : 1
        let s = Swift.max(0, t - warmupSteps)
        switch decay {
        case .constant:
            return base * warmup
        case .cosine(let total, let minimum):
            let p = Swift.min(1, Double(s) / Double(total - warmupSteps))
            return warmup * (minimum + (base - minimum) * (1 + Double.cos(Double.pi * p)) / 2)
        case .step(let every, let factor):
            return warmup * base * Double.pow(factor, Double(s / every))
        }
    }
}
