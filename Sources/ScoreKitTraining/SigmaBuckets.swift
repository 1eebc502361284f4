/// Log-spaced noise-level buckets for reporting the training loss across σ (to plot the error
/// profile, papers.md §3.4 T1): `count` buckets with edges σ_min (σ_max/σ_min)^(k/count);
/// levels below σ_min or above σ_max fall in the first or last bucket.
public struct SigmaBuckets: Codable, Equatable, Sendable {
    public let minimum: Double
    public let maximum: Double
    public let count: Int

    /// EDM's sampling range [0.002, 80] in 16 buckets.
    public static let standard = SigmaBuckets(uncheckedMinimum: 0.002, maximum: 80, count: 16)

    /// The most buckets (each is a few counters in every log record): far more than a plot resolves.
    public static let maxCount = 1 << 16

    public init(minimum: Double, maximum: Double, count: Int) throws(TrainingError) {
        guard minimum > 0, maximum.isFinite, minimum < maximum, (1...Self.maxCount).contains(count) else {
            throw .invalidConfiguration("loss buckets over [\(minimum), \(maximum)] with \(count) buckets")
        }
        self.init(uncheckedMinimum: minimum, maximum: maximum, count: count)
    }

    private init(uncheckedMinimum minimum: Double, maximum: Double, count: Int) {
        (self.minimum, self.maximum, self.count) = (minimum, maximum, count)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(minimum: c.decode(Double.self, forKey: .minimum), maximum: c.decode(Double.self, forKey: .maximum),
                          count: c.decode(Int.self, forKey: .count))
        } catch let error as TrainingError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// The count + 1 edges, ascending.
    public var edges: [Double] {
        (0...count).map { k in minimum * Double.pow(maximum / minimum, Double(k) / Double(count)) }
    }

    /// The bucket of σ (clamped to the first and last).
    public func index(of sigma: Double) -> Int {
        let position = Double.log(sigma / minimum) / Double.log(maximum / minimum) * Double(count)
        guard !position.isNaN else { return 0 }
        // Clamped before the conversion: with σ_max/σ_min close to 1 a finite position can exceed Int.
        return Int(Swift.min(Swift.max(position.rounded(.down), 0), Double(count - 1)))
    }
}

/// Per-bucket sums of the weighted loss ℓ_r and the ε-error ‖ε̂ − ε‖²/d, with counts.
public struct BucketLosses: Codable, Equatable, Sendable {
    public let buckets: SigmaBuckets
    public private(set) var lossSums: [Double]
    public private(set) var epsilonErrorSums: [Double]
    public private(set) var counts: [Int]

    public init(buckets: SigmaBuckets) {
        self.buckets = buckets
        lossSums = [Double](repeating: 0, count: buckets.count)
        epsilonErrorSums = lossSums
        counts = [Int](repeating: 0, count: buckets.count)
    }

    /// Adds the rows of one batch.
    public mutating func add<Scalar>(_ loss: DenoisingScoreMatchingLoss<Scalar>, sigmas: [Scalar]) {
        for (r, sigma) in sigmas.enumerated() {
            let k = buckets.index(of: Double(sigma))
            lossSums[k] += loss.rowLosses[r]
            epsilonErrorSums[k] += loss.rowEpsilonErrors[r]
            counts[k] += 1
        }
    }

    /// Mean weighted loss per bucket (nil where empty).
    public var meanLosses: [Double?] { zip(lossSums, counts).map { $1 > 0 ? $0 / Double($1) : nil } }
    /// Mean ε-error per bucket (nil where empty).
    public var meanEpsilonErrors: [Double?] { zip(epsilonErrorSums, counts).map { $1 > 0 ? $0 / Double($1) : nil } }
}
