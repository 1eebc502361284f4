/// A small residual MLP F(x, c_noise) for diffusion on low-dimensional data (2-D toy sets, 64-D
/// digits; papers.md §0.3, §1.5 K4, §4): the raw network inside a preconditioned denoiser
/// D(x; σ) = c_skip x + c_out F(c_in x, c_noise), or Kim's multiplicative f(x) with no noise input.
///
///     e = embed(c_noise)                                   (B × E, optional)
///     e = map(e)                                           (B × M, optional mapping MLP)
///     h = input([x, e] or x)                               (B × W)
///     h = blocks.i(h, e)  for i < depth                    (residual, FiLM by e when chosen)
///     y = output(act(output_norm(h)))                      (B × d)
///
/// State-dict names: `embed.freqs` (Fourier only, a buffer), `map.{0,2}.{weight,bias}`, `input.{weight,bias}`,
/// `blocks.{i}.{norm,film,linear1,linear2}.{weight,bias}`, `output_norm.{weight,bias}`,
/// `output.{weight,bias}`; a PyTorch module registering the same submodules loads the same file.
public struct MLPDenoiserNet<Scalar: MatrixScalar>: Module {
    public typealias Configuration = MLPDenoiserNetConfiguration

    public let configuration: Configuration
    public private(set) var embed: NoiseEmbedding<Scalar>?
    public private(set) var mapping: MappingNetwork<Scalar>?
    public private(set) var input: Linear<Scalar>
    public private(set) var blocks: [ResidualBlock<Scalar>]
    public private(set) var outputNorm: LayerNorm<Scalar>
    public private(set) var output: Linear<Scalar>
    private let outputActivation: Activation<Scalar>

    /// A freshly initialised network (PyTorch default initialisation, Fourier frequencies ~ N(0, scale²)).
    public init(_ configuration: Configuration, using rng: inout some RandomNumberGenerator) throws(NNError) {
        let c = configuration
        guard c.dataDimension > 0, c.width > 0, c.hiddenWidth > 0, c.depth >= 0 else {
            throw .invalidConfiguration("MLP with data dimension \(c.dataDimension), width \(c.width), hidden width \(c.hiddenWidth), depth \(c.depth)")
        }
        switch c.noiseInput {
        case .none: embed = nil
        case .positional(let channels, let endpoint): embed = try .positional(channels: channels, endpoint: endpoint)
        case .fourier(let channels, let scale): embed = try .fourier(channels: channels, scale: Scalar(scale), using: &rng)
        }
        guard c.embeddingWidth > 0 || (c.conditioning == .concatenation && c.mappingWidth == nil) else {
            throw .invalidConfiguration("FiLM conditioning and a mapping network need a noise input")
        }
        mapping = try c.mappingWidth.map { (m: Int) throws(NNError) in
            try MappingNetwork(inputWidth: c.embeddingWidth, width: m, activation: c.activation, using: &rng)
        }
        let e = c.conditioningWidth
        let concatenated = c.conditioning == .concatenation ? e : 0
        input = try Linear(inputWidth: c.dataDimension + concatenated, outputWidth: c.width, using: &rng)
        var blocks = [ResidualBlock<Scalar>]()
        for _ in 0..<c.depth {
            blocks.append(try ResidualBlock(width: c.width, hiddenWidth: c.hiddenWidth, activation: c.activation,
                                            conditioningWidth: c.conditioning == .film && e > 0 ? e : nil, using: &rng))
        }
        self.blocks = blocks
        outputNorm = try LayerNorm(width: c.width)
        output = try Linear(inputWidth: c.width, outputWidth: c.dataDimension, using: &rng)
        outputActivation = Activation(c.activation)
        self.configuration = c
    }

    public struct Cache: Sendable {
        let mapping: MappingNetwork<Scalar>.Cache?
        let embedding: Matrix<Scalar>?
        let input: Matrix<Scalar>
        let blocks: [ResidualBlock<Scalar>.Cache]
        let outputNorm: LayerNorm<Scalar>.Cache
        let outputActivation: Matrix<Scalar>
        let output: Matrix<Scalar>
    }

    /// F(x, c_noise) for a batch x (B × d) and one noise level per row (`noiseLevels`, B × 1; nil
    /// exactly when the network has no noise input).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Matrix<Scalar>, noiseLevels: Matrix<Scalar>?) throws(NNError) -> (output: Matrix<Scalar>, cache: Cache) {
        let d = configuration.dataDimension
        guard x.columns == d else {
            throw .shapeMismatch(layer: "MLPDenoiserNet", detail: "input has \(x.columns) features, expected \(d)")
        }
        var embedding: Matrix<Scalar>?
        var mappingCache: MappingNetwork<Scalar>.Cache?
        switch (embed, noiseLevels) {
        case (let embed?, let c?):
            try checkShape(c, rows: x.rows, columns: 1, layer: "MLPDenoiserNet", what: "noise-level column")
            embedding = try embed.forward(c).output
            if let mapping, let e = embedding { (embedding, mappingCache) = try mapping.forward(e) }
        case (nil, nil): break
        case (nil, _?): throw .shapeMismatch(layer: "MLPDenoiserNet", detail: "noise levels given to a network without noise input")
        case (_?, nil): throw .shapeMismatch(layer: "MLPDenoiserNet", detail: "the network needs one noise level per row")
        }
        let film = configuration.conditioning == .film
        let first = film ? x : (embedding.map { x.concatenatingColumns($0) } ?? x)
        var (h, inputCache) = try input.forward(first)
        var blockCaches = [ResidualBlock<Scalar>.Cache]()
        blockCaches.reserveCapacity(blocks.count)
        for block in blocks {
            let (next, cache) = try block.forward(h, conditioning: film ? embedding : nil)
            blockCaches.append(cache)
            h = next
        }
        let (n, normCache) = try outputNorm.forward(h)
        let (a, activationCache) = try outputActivation.forward(n)
        let (y, outputCache) = try output.forward(a)
        return (y, Cache(mapping: mappingCache, embedding: embedding, input: inputCache, blocks: blockCaches, outputNorm: normCache,
                         outputActivation: activationCache, output: outputCache))
    }

    /// F(x, c_noise) only (inference).
    public func callAsFunction(_ x: Matrix<Scalar>, noiseLevels: Matrix<Scalar>?) throws(NNError) -> Matrix<Scalar> {
        try forward(x, noiseLevels: noiseLevels).output
    }

    /// ∂L/∂x (B × d) and ∂L/∂θ (named as `parameters`) from ∂L/∂F (B × d). The noise levels are
    /// inputs, not parameters: no gradient flows back to them.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache) throws(NNError) -> LayerGradients<Scalar> {
        let go = try output.backward(outputGradient, cache: cache.output)
        let ga = try outputActivation.backward(go.input, cache: cache.outputActivation)
        let gn = try outputNorm.backward(ga.input, cache: cache.outputNorm)
        var dh = gn.input
        var blockParameters = [(prefix: String, tensors: NamedTensors<Scalar>)]()
        // ∂L/∂e is only needed to train a mapping network (the embedding itself is fixed).
        var de: Matrix<Scalar>?
        for i in blocks.indices.reversed() {
            let gb = try blocks[i].backward(dh, cache: cache.blocks[i], conditioningGradient: mapping != nil)
            dh = gb.input
            blockParameters.insert(("blocks.\(i).", gb.parameters), at: 0)
            if let g = gb.conditioning { de = de.map { $0 + g } ?? g }
        }
        let gi = try input.backward(dh, cache: cache.input)
        let d = configuration.dataDimension
        let dx = gi.input.columns == d ? gi.input : gi.input.columns(0..<d)
        var mappingParameters = NamedTensors<Scalar>()
        if let mapping, let mappingCache = cache.mapping {
            if gi.input.columns > d { de = gi.input.columns(d..<gi.input.columns) }  // concatenation
            // With no block to condition (FiLM at depth 0) the mapping is unused: zero gradients.
            mappingParameters = if let de {
                try mapping.backward(de, cache: mappingCache).parameters
            } else {
                mapping.parameters.zeros()
            }
        }
        let parameters = NamedTensors(prefixing: [("map.", mappingParameters), ("input.", gi.parameters)] + blockParameters
                                      + [("output_norm.", gn.parameters), ("output.", go.parameters)])
        return LayerGradients(input: dx, parameters: parameters)
    }

    public var stateDict: NamedTensors<Scalar> {
        NamedTensors(prefixing: [("embed.", embed?.stateDict ?? NamedTensors()), ("map.", mapping?.stateDict ?? NamedTensors()),
                                 ("input.", input.stateDict)]
                     + blocks.enumerated().map { ("blocks.\($0.offset).", $0.element.stateDict) }
                     + [("output_norm.", outputNorm.stateDict), ("output.", output.stateDict)])
    }

    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {
        try embed?.load(from: &reader, prefix: prefix + "embed.")
        try mapping?.load(from: &reader, prefix: prefix + "map.")
        try input.load(from: &reader, prefix: prefix + "input.")
        for i in blocks.indices { try blocks[i].load(from: &reader, prefix: prefix + "blocks.\(i).") }
        try outputNorm.load(from: &reader, prefix: prefix + "output_norm.")
        try output.load(from: &reader, prefix: prefix + "output.")
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// The shape of an `MLPDenoiserNet`, independent of its precision (so a Float and a Double network
/// can share one configuration, and a checkpoint can store it as JSON).
public struct MLPDenoiserNetConfiguration: Sendable, Equatable, Codable {
    /// How the noise level enters the network.
    public enum NoiseInput: Sendable, Equatable, Codable {
        /// No noise input: F(x) alone (NCSNv2's s(x, σ) = f(x)/σ, Kim's multiplicative setting).
        case none
        /// EDM `PositionalEmbedding` with `channels` features and max positions 10000 (EDM's
        /// DDPM++ sets `endpoint`).
        case positional(channels: Int, endpoint: Bool = false)
        /// EDM `FourierEmbedding` with `channels` features and random frequencies of scale `scale`.
        case fourier(channels: Int, scale: Double)
    }

    /// Where the embedding enters.
    public enum Conditioning: String, Sendable, Equatable, Codable {
        /// Appended to x at the input layer.
        case concatenation
        /// Scale and shift of every block's normalised features.
        case film
    }

    public var dataDimension: Int
    public var width: Int
    /// The number of residual blocks.
    public var depth: Int
    /// The inner width of each block's MLP.
    public var hiddenWidth: Int
    public var activation: ActivationFunction
    public var noiseInput: NoiseInput
    /// The width M of a mapping MLP applied to the embedding (nil: the embedding is used as is).
    public var mappingWidth: Int?
    public var conditioning: Conditioning

    public init(dataDimension: Int, width: Int = 128, depth: Int = 2, hiddenWidth: Int? = nil,
                activation: ActivationFunction = .silu, noiseInput: NoiseInput = .fourier(channels: 32, scale: 16),
                mappingWidth: Int? = nil, conditioning: Conditioning = .film) {
        self.dataDimension = dataDimension
        self.width = width
        self.depth = depth
        self.hiddenWidth = hiddenWidth ?? width
        self.activation = activation
        self.noiseInput = noiseInput
        self.mappingWidth = mappingWidth
        self.conditioning = conditioning
    }

    /// E, the number of embedding features (0 without noise input).
    public var embeddingWidth: Int {
        switch noiseInput {
        case .none: return 0
        case .positional(let c, _), .fourier(let c, _): return c
        }
    }

    /// The width of the vector that conditions the network: M with a mapping network, else E.
    public var conditioningWidth: Int { mappingWidth ?? embeddingWidth }
}
