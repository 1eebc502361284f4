/// A seeded `RandomNumberGenerator` on Philox4x32-10, for scalar and sequential uses (shuffling,
/// k-means++ seeding, picking indices). Bulk noise comes from `CounterNormalRNG` instead.
///
/// Block n (n = 0, 1, 2, …) has key = `seed` and counter (n mod 2³², n / 2³², `stream` mod 2³²,
/// `stream` / 2³² + 2³¹); it gives two outputs, words 0 + 2³²·word 1 and then words 2 + 2³²·word 3.
/// The top counter bit is set, whereas `CounterNormalRNG` puts a sample index below 2⁶³ there,
/// so with the same seed the two never share a block. Different streams are independent.
public struct PhiloxGenerator: RandomNumberGenerator, Sendable, Equatable {
    public let seed: UInt64
    public let stream: UInt64
    private var blockIndex: UInt64 = 0
    private var pending: UInt64?

    /// A generator at the start of `stream` (below 2⁶³) under `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        precondition(stream < 1 << 63, "Philox stream \(stream) is not below 2^63")
        self.seed = seed
        self.stream = stream
    }

    public mutating func next() -> UInt64 {
        if let value = pending {
            pending = nil
            return value
        }
        let counter = SIMD4<UInt32>(
            UInt32(truncatingIfNeeded: blockIndex), UInt32(truncatingIfNeeded: blockIndex >> 32),
            UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32) | 1 << 31)
        let w = Philox4x32.block(counter: counter, key: Philox4x32.key(seed: seed))
        blockIndex &+= 1
        pending = UInt64(w[2]) | UInt64(w[3]) << 32
        return UInt64(w[0]) | UInt64(w[1]) << 32
    }
}
