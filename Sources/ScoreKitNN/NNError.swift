/// Errors from network layers, state dictionaries and optimizers. Every case renders as one line
/// that names the offending tensor or layer.
public enum NNError: Error, Equatable, CustomStringConvertible {
    /// An input or gradient of the wrong shape reached a layer.
    case shapeMismatch(layer: String, detail: String)
    /// A state dictionary lacks a tensor the model needs.
    case missingTensor(String)
    /// A state dictionary holds a tensor the model does not have (PyTorch's `strict=True`).
    case unexpectedTensor(String)
    /// A tensor has the right name but the wrong shape (shapes in PyTorch order).
    case tensorShape(name: String, expected: [Int], found: [Int])
    /// A tensor shape that is not a vector or a matrix.
    case unsupportedRank(name: String, shape: [Int])
    /// Parameters and gradients (or optimizer state) do not list the same tensors.
    case parameterMismatch(String)
    /// A layer or optimizer built with impossible settings.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let layer, let detail): return "\(layer): \(detail)"
        case .missingTensor(let name): return "state dictionary has no tensor '\(name)'"
        case .unexpectedTensor(let name): return "state dictionary has an unexpected tensor '\(name)'"
        case .tensorShape(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found), expected \(expected)"
        case .unsupportedRank(let name, let shape):
            return "tensor '\(name)' has shape \(shape); only 1-D and 2-D tensors are supported"
        case .parameterMismatch(let what): return "parameter mismatch: \(what)"
        case .invalidConfiguration(let what): return "invalid configuration: \(what)"
        }
    }
}
