/// An array with its name in a multi-array file: an `.npz` member (without `.npy`) or a
/// safetensors tensor (`blocks.0.linear.weight`).
public struct NamedArray: Sendable, Equatable {
    public var name: String
    public var array: NDArray

    public init(_ name: String, _ array: NDArray) {
        self.name = name
        self.array = array
    }
}

extension Array where Element == NamedArray {
    /// The first array with this name.
    public subscript(name: String) -> NDArray? { first { $0.name == name }?.array }
}

extension Array where Element == NamedArray {
    /// The array with this name, or an error naming the file and the arrays it should hold.
    public func required(_ name: String, in path: String, expected: [String]) throws(IOError) -> NDArray {
        guard let array = self[name] else {
            throw .invalidArgument(path: path, reason: "no array '\(name)' (expected \(expected.joined(separator: ", ")))")
        }
        return array
    }
}
