/// Upper bounds every reader enforces before it allocates: a file, an inflated archive member or
/// an array payload larger than `maxBytes`, or a header longer than `maxHeaderBytes`, is refused
/// with `IOError.tooLarge` instead of exhausting memory.
public struct IOLimits: Sendable, Equatable {
    /// The largest file, array payload, or (summed over an archive) inflated data, in bytes.
    public var maxBytes: Int
    /// The largest npy or safetensors header, in bytes.
    public var maxHeaderBytes: Int

    public init(maxBytes: Int, maxHeaderBytes: Int) {
        self.maxBytes = maxBytes
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// 2 GiB of data and 16 MiB of header: far beyond any ScoreKit file, far below a crash.
    public static let standard = IOLimits(maxBytes: 1 << 31, maxHeaderBytes: 1 << 24)
}
