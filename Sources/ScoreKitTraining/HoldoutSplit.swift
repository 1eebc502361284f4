/// A seeded split of N data rows into training rows and held-out rows (for `scorekit train
/// --holdout f`): the last round(f·N) positions of a Fisher–Yates permutation (the one
/// `ShuffledBatches` uses, on a Philox stream of its own) are held out. Both index lists are
/// ascending, so the training rows keep the data's order, and the split is a function of
/// (N, f, seed) alone: a resumed run splits the same way and its data fingerprint matches.
public struct HoldoutSplit: Sendable, Equatable {
    public let training: [Int]
    public let heldOut: [Int]

    /// The Philox stream of the split (the epochs' shuffles use 0, 1, …; the initial weights 2⁶²).
    static var stream: Int { 1 << 61 }

    /// At least one row stays in training; f = 0 holds nothing out.
    public init(rowCount: Int, fraction: Double, seed: UInt64) throws(TrainingError) {
        guard rowCount > 0 else { throw .invalidData("no rows to split") }
        guard fraction >= 0, fraction < 1 else { throw .invalidConfiguration("held-out fraction \(fraction) outside [0, 1)") }
        let count = Swift.min(Int((fraction * Double(rowCount)).rounded()), rowCount - 1)
        let permutation = ShuffledBatches.permutation(count: rowCount, seed: seed, epoch: Self.stream)
        training = permutation[..<(rowCount - count)].sorted()
        heldOut = permutation[(rowCount - count)...].sorted()
    }
}
