/// One entry of a PyTorch-style `state_dict`: a dotted name, a value and its PyTorch shape.
///
/// Values are stored as matrices; a 1-D tensor of length n (a bias, a LayerNorm weight, Fourier
/// frequencies) is a 1 × n matrix with `isVector` set, so it is written back as shape `[n]`.
public struct NamedTensor<Scalar: MatrixScalar>: Sendable, Equatable {
    public var name: String
    public var value: Matrix<Scalar>
    /// True for 1-D tensors (shape `[n]`, stored 1 × n).
    public let isVector: Bool
    /// False for buffers (e.g. `embed.freqs`): saved and loaded, but never trained.
    public let isTrainable: Bool

    public init(name: String, value: Matrix<Scalar>, isVector: Bool = false, isTrainable: Bool = true) {
        self.name = name
        self.value = value
        self.isVector = isVector
        self.isTrainable = isTrainable
    }

    /// The PyTorch shape: `[n]` for vectors, `[rows, columns]` for matrices.
    public var shape: [Int] { isVector ? [value.columns] : [value.rows, value.columns] }

    /// The matrix that stores a tensor of PyTorch shape `shape` (`[n]` → 1 × n, `[r, c]` → r × c),
    /// e.g. for a tensor read from a `.safetensors` file.
    public static func matrix(name: String, shape: [Int], scalars: [Scalar]) throws(NNError) -> Matrix<Scalar> {
        let (rows, columns): (Int, Int)
        switch shape.count {
        case 1: (rows, columns) = (1, shape[0])
        case 2: (rows, columns) = (shape[0], shape[1])
        default: throw .unsupportedRank(name: name, shape: shape)
        }
        guard rows >= 0, columns >= 0, scalars.count == rows * columns else {
            throw .tensorShape(name: name, expected: shape, found: [scalars.count])
        }
        return Matrix(rows: rows, columns: columns, scalars: scalars)
    }
}

/// An ordered list of named tensors: a model's state dict, its parameters, their gradients, or an
/// optimizer's state. Order is the module's registration order, as in PyTorch.
public struct NamedTensors<Scalar: MatrixScalar>: Sendable, Equatable, RandomAccessCollection {
    /// Internal setter so optimizers update values in place (no copy-on-write copy per step).
    public internal(set) var tensors: [NamedTensor<Scalar>]

    public init(_ tensors: [NamedTensor<Scalar>] = []) { self.tensors = tensors }

    public var startIndex: Int { tensors.startIndex }
    public var endIndex: Int { tensors.endIndex }
    public subscript(position: Int) -> NamedTensor<Scalar> {
        get { tensors[position] }
        set { tensors[position] = newValue }
    }

    /// The value named `name`, if present.
    public subscript(name: String) -> Matrix<Scalar>? { tensors.first { $0.name == name }?.value }

    public var names: [String] { tensors.map(\.name) }
    /// `(name, value)` pairs in order, the shape of `state_dict().items()`.
    public var pairs: [(name: String, value: Matrix<Scalar>)] { tensors.map { ($0.name, $0.value) } }
    public var dictionary: [String: Matrix<Scalar>] {
        Dictionary(tensors.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
    /// Only the trainable entries (what optimizers update and backward passes differentiate).
    public var trainable: NamedTensors { NamedTensors(tensors.filter(\.isTrainable)) }

    /// Every name preceded by `prefix` (how a parent module names its children's tensors).
    public func prefixed(_ prefix: String) -> NamedTensors {
        NamedTensors(tensors.map { t in
            var t = t
            t.name = prefix + t.name
            return t
        })
    }

    /// The same names and shapes with every value set to zero (a gradient accumulator).
    public func zeros() -> NamedTensors {
        NamedTensors(tensors.map { t in
            var t = t
            t.value = Matrix(rows: t.value.rows, columns: t.value.columns)
            return t
        })
    }

    /// Σ over all entries of the squared Frobenius norm, accumulated in Double.
    public func squaredNorm() -> Double {
        tensors.reduce(0) { acc, t in t.value.scalars.reduce(acc) { $0 + Double($1) * Double($1) } }
    }

    /// A parent module's list: each child's tensors in order, names preceded by the child's prefix.
    public init(prefixing children: [(prefix: String, tensors: NamedTensors)]) {
        self.init(children.flatMap { $0.tensors.prefixed($0.prefix).tensors })
    }

    /// self ← self + α · other, tensor by tensor (accumulating gradients over micro-batches).
    public mutating func add(_ other: NamedTensors, scaledBy alpha: Scalar = 1) throws(NNError) {
        try checkMatches(other, role: "tensors")
        for k in tensors.indices { tensors[k].value.axpy(alpha, other.tensors[k].value) }
    }

    public mutating func append(_ tensor: NamedTensor<Scalar>) { tensors.append(tensor) }

    /// Checks that `other` lists the same names with the same shapes, in the same order
    /// (gradients against parameters, optimizer state against parameters).
    public func checkMatches(_ other: NamedTensors, role: String) throws(NNError) {
        guard other.count == count else {
            throw .parameterMismatch("\(other.count) \(role) for \(count) parameters")
        }
        for (p, g) in zip(tensors, other.tensors) {
            guard p.name == g.name else { throw .parameterMismatch("\(role) '\(g.name)' where '\(p.name)' was expected") }
            guard p.value.rows == g.value.rows, p.value.columns == g.value.columns else {
                throw .tensorShape(name: "\(role) \(g.name)", expected: p.shape, found: g.shape)
            }
        }
    }
}

/// Reads tensors out of a state dictionary by name, checking each shape against the tensor it
/// replaces, and remembers which names it used so that leftovers can be reported.
public struct StateReader<Scalar: MatrixScalar> {
    public let source: [String: Matrix<Scalar>]
    /// When false, buffers absent from `source` keep their current value (loading parameters only).
    public let requiresBuffers: Bool
    public private(set) var consumed: Set<String> = []

    public init(_ source: [String: Matrix<Scalar>], requiresBuffers: Bool = true) {
        self.source = source
        self.requiresBuffers = requiresBuffers
    }

    /// The tensor named `name`, which must have the shape of `current`.
    public mutating func take(_ name: String, replacing current: Matrix<Scalar>, isVector: Bool = false,
                              isBuffer: Bool = false) throws(NNError) -> Matrix<Scalar> {
        guard let value = source[name] else {
            if isBuffer && !requiresBuffers { return current }
            throw .missingTensor(name)
        }
        guard value.rows == current.rows, value.columns == current.columns else {
            let shape: (Matrix<Scalar>) -> [Int] = { isVector && $0.rows == 1 ? [$0.columns] : [$0.rows, $0.columns] }
            throw .tensorShape(name: name, expected: shape(current), found: shape(value))
        }
        consumed.insert(name)
        return value
    }

    /// Throws for the first (alphabetically) name in `source` that nothing took.
    public func finish() throws(NNError) {
        if let extra = source.keys.filter({ !consumed.contains($0) }).sorted().first {
            throw .unexpectedTensor(extra)
        }
    }
}
