import CScoreKitKernels

/// Philox4x32-10: the counter-based generator of Salmon, Moraes, Dror & Shaw, "Parallel random
/// numbers: as easy as 1, 2, 3" (SC'11), as `philox4x32` with 10 rounds in D. E. Shaw Research's
/// Random123.
///
/// It is a keyed bijection of 128-bit counters: each counter gives a block of four 32-bit words
/// that passes BigCrush, and any block is computed directly from its address. That is why every
/// random number in ScoreKit has an address instead of a position in a stream: no state to carry,
/// split or synchronise between threads or batches.
public enum Philox4x32 {
    /// The block for `counter` under `key` (words in Random123's order).
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var out = SIMD4<UInt32>()
        withUnsafePointer(to: counter) { c in
            withUnsafePointer(to: key) { k in
                withUnsafeMutablePointer(to: &out) { o in
                    sk_philox4x32_10(UnsafeRawPointer(c).assumingMemoryBound(to: UInt32.self),
                                     UnsafeRawPointer(k).assumingMemoryBound(to: UInt32.self),
                                     UnsafeMutableRawPointer(o).assumingMemoryBound(to: UInt32.self))
                }
            }
        }
        return out
    }

    /// The 64-bit seed as a Philox key: (low 32 bits, high 32 bits).
    static func key(seed: UInt64) -> SIMD2<UInt32> {
        SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }
}
