/// Checks of an `MLPDenoiserNetConfiguration` that read only its numbers, so that a configuration
/// from a file (`scorekit train --config`, a checkpoint's or model file's metadata) is refused
/// before a single weight is allocated: impossible settings, and sizes whose arithmetic overflows.
/// How large is too large depends on the machine; callers compare `parameterCount` and
/// `activationsPerRow` against their limits (`TrainingLimits` in ScoreKitTraining).
extension MLPDenoiserNetConfiguration {
    /// Throws `.invalidConfiguration` for settings `MLPDenoiserNet.init` cannot build (non-positive
    /// widths, an odd or too small embedding, a non-finite Fourier scale, FiLM or a mapping network
    /// without a noise input) and for sizes that overflow `Int`.
    public func validate() throws(NNError) {
        guard dataDimension > 0, width > 0, hiddenWidth > 0, depth >= 0, (mappingWidth ?? 1) > 0 else {
            throw .invalidConfiguration("MLP with \(sizes)")
        }
        switch noiseInput {
        case .none: break
        case .positional(let channels, let endpoint):
            guard channels >= (endpoint ? 4 : 2), channels.isMultiple(of: 2) else {
                throw .invalidConfiguration("positional embedding with \(channels) channels (needs an even count ≥ \(endpoint ? 4 : 2))")
            }
        case .fourier(let channels, let scale):
            guard channels >= 2, channels.isMultiple(of: 2), scale.isFinite else {
                throw .invalidConfiguration("Fourier embedding with \(channels) channels (needs an even count ≥ 2) and scale \(scale)")
            }
        }
        guard embeddingWidth > 0 || (conditioning == .concatenation && mappingWidth == nil) else {
            throw .invalidConfiguration("FiLM conditioning and a mapping network need a noise input")
        }
        _ = try parameterCount
        _ = try activationsPerRow
    }

    /// The number of trainable scalars of the network (weights and biases, not the Fourier
    /// frequencies), computed from the shapes without building it; `.invalidConfiguration` when
    /// the count overflows `Int`.
    public var parameterCount: Int {
        get throws(NNError) {
            let e = embeddingWidth, c = conditioningWidth, (d, w, h) = (dataDimension, width, hiddenWidth)
            let concatenated = conditioning == .concatenation ? c : 0
            let film = conditioning == .film && c > 0
            let mapping: Int? = mappingWidth.map { m in
                CheckedArithmetic.sum([CheckedSize.linear(e, m), CheckedSize.linear(m, m)])
            } ?? 0
            let norm = CheckedArithmetic.product(2, w)  // a LayerNorm's γ and β; also FiLM's output width
            let block = CheckedArithmetic.sum([norm, film ? CheckedSize.linear(c, norm) : 0,
                                         CheckedSize.linear(w, h), CheckedSize.linear(h, w)])
            let total = CheckedArithmetic.sum([mapping, CheckedSize.linear(CheckedArithmetic.sum([d, concatenated]), w),
                                         CheckedArithmetic.product(depth, block), norm, CheckedSize.linear(w, d)])
            guard let total else { throw .invalidConfiguration("the parameter count of an MLP with \(sizes) overflows") }
            return total
        }
    }

    /// The scalars one row of a batch keeps through a training step: the outputs of every layer
    /// of the forward pass (the embedding, the mapping network's two layers and activations, the
    /// input layer, per block its norm, FiLM, two linear layers, activation and residual sum, then
    /// the output norm, activation and layer), which the backward pass reads. A batch of B rows
    /// holds B times this, whatever the precision's width in bytes.
    public var activationsPerRow: Int {
        get throws(NNError) {
            let film = conditioning == .film && conditioningWidth > 0 ? width : 0
            let mapping = CheckedArithmetic.product(4, mappingWidth ?? 0)
            let block = CheckedArithmetic.sum([CheckedArithmetic.product(4, width), film, CheckedArithmetic.product(2, hiddenWidth)])
            let total = CheckedArithmetic.sum([embeddingWidth, mapping, width, CheckedArithmetic.product(depth, block),
                                         CheckedArithmetic.product(2, width), dataDimension])
            guard let total else { throw .invalidConfiguration("the activation size of an MLP with \(sizes) overflows") }
            return total
        }
    }

    /// The sizes, for messages.
    private var sizes: String {
        "data dimension \(dataDimension), width \(width), hidden width \(hiddenWidth), depth \(depth), "
            + "embedding width \(embeddingWidth), mapping width \(mappingWidth.map(String.init) ?? "none")"
    }
}

/// Overflow-checked layer sizes (`CheckedArithmetic`; nil once a step overflows `Int`).
enum CheckedSize {
    /// The weights and biases of a linear layer from `input` to `output` features.
    static func linear(_ input: Int?, _ output: Int?) -> Int? {
        CheckedArithmetic.sum(CheckedArithmetic.product(input, output), output)
    }
}
