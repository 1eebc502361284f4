import Foundation
@_exported import ScoreKitIO

/// What every fuzz target shares: the input as `Data`, the limits the parsers run under, and the
/// invariant checks that turn a silent wrong answer into a crash libFuzzer can report.
public enum FuzzInput {
    /// Limits far below libFuzzer's `-malloc_limit_mb` (set by scripts/fuzz.sh to 256 MiB): a
    /// parser that allocates more than a few times `maxBytes` has let a size slip past its checks,
    /// and libFuzzer reports that allocation as a finding.
    public static let limits = IOLimits(maxBytes: 16 << 20, maxHeaderBytes: 1 << 16)

    /// The fuzzer's bytes (libFuzzer may pass a null pointer with size 0).
    public static func data(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Data {
        guard let start, count > 0 else { return Data() }
        return Data(bytes: start, count: count)
    }

    /// Stops the run with a message libFuzzer records with the crashing input.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz invariant violated: \(message())") }
    }
}
