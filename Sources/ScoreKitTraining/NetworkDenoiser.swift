/// An `MLPDenoiserNet` used through the denoiser contract by its parameterization:
/// D(x; σ) = c_skip(σ) x + c_out(σ) F(c_in(σ) x; c_noise(σ)) (DESIGN.md, "Denoiser").
///
/// Samplers call `denoise(_:sigma:)` with one σ per batch; training calls `forward(_:sigmas:)`
/// with one σ per row and differentiates with `backward`.
public struct NetworkDenoiser<Scalar: MatrixScalar>: Denoiser {
    public private(set) var network: MLPDenoiserNet<Scalar>
    public let parameterization: NetworkParameterization

    /// Throws unless the network has a noise input exactly when the parameterization needs one.
    public init(network: MLPDenoiserNet<Scalar>, parameterization: NetworkParameterization) throws(TrainingError) {
        try parameterization.validate()
        try parameterization.check(network.configuration)
        self.network = network
        self.parameterization = parameterization
    }

    public var dimension: Int { network.configuration.dataDimension }

    public func denoise(_ x: Matrix<Scalar>, sigma: Scalar) throws -> Matrix<Scalar> {
        try denoise(x, sigmas: [Scalar](repeating: sigma, count: x.rows))
    }

    /// D(x_r; σ_r) row by row.
    public func denoise(_ x: Matrix<Scalar>, sigmas: [Scalar]) throws(TrainingError) -> Matrix<Scalar> {
        try forward(x, sigmas: sigmas).denoised
    }

    /// What `backward` needs from a forward pass: one record per block of `RowBlocks.size` rows.
    public struct Pass: Sendable {
        public let denoised: Matrix<Scalar>
        let blocks: [BlockPass]
    }

    struct BlockPass: Sendable {
        let denoised: Matrix<Scalar>
        /// c_out per row: ∂D_r/∂F_r.
        let outputScales: [Scalar]
        let cache: MLPDenoiserNet<Scalar>.Cache
    }

    /// The forward pass with one σ > 0 per row, block by block (`RowBlocks`), so that a row's
    /// result depends neither on the rest of the batch nor on the thread count.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ x: Matrix<Scalar>, sigmas: [Scalar]) throws(TrainingError) -> Pass {
        guard sigmas.count == x.rows else {
            throw .invalidConfiguration("\(sigmas.count) noise levels for \(x.rows) rows")
        }
        guard sigmas.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidConfiguration("noise levels must be positive and finite")
        }
        let blocks = RowBlocks(rows: x.rows)
        let passes = try Parallelism.concurrentMap(blocks.count) { (b: Int) throws(TrainingError) in
            try forwardBlock(blocks.block(b, of: x), sigmas: blocks.block(b, of: sigmas, padding: 1))
        }
        return Pass(denoised: blocks.assemble(passes.map(\.denoised), columns: x.columns), blocks: passes)
    }

    /// D = c_skip x + c_out F(c_in x; c_noise) on one block.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forwardBlock(_ x: Matrix<Scalar>, sigmas: [Scalar]) throws(TrainingError) -> BlockPass {
        let s: [NetworkParameterization.Scalings<Scalar>] = sigmas.map { parameterization.scalings(sigma: $0) }
        let labels = parameterization.needsNoiseInput ? Matrix(column: s.map(\.noiseLabel)) : nil
        let input = x.scalingRows(by: s.map(\.input))
        let (f, cache) = try wrappingNN { () throws(NNError) in try network.forward(input, noiseLevels: labels) }
        let outputScales = s.map(\.output)
        var denoised = f.scalingRows(by: outputScales)
        denoised += x.scalingRows(by: s.map(\.skip))
        return BlockPass(denoised: denoised, outputScales: outputScales, cache: cache)
    }

    /// ∂L/∂θ from ∂L/∂D: the chain rule through D = c_skip x + c_out F gives ∂L/∂F_r = c_out,r ∂L/∂D_r.
    /// Blocks are differentiated concurrently and their gradients summed in block order (padding
    /// rows get ∂L/∂D = 0 and contribute nothing).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ denoisedGradient: Matrix<Scalar>, pass: Pass) throws(TrainingError) -> NamedTensors<Scalar> {
        guard denoisedGradient.rows == pass.denoised.rows, denoisedGradient.columns == pass.denoised.columns else {
            throw .invalidConfiguration("a \(denoisedGradient.rows) × \(denoisedGradient.columns) gradient for a "
                                        + "\(pass.denoised.rows) × \(pass.denoised.columns) output")
        }
        let blocks = RowBlocks(rows: pass.denoised.rows)
        let gradients = try Parallelism.concurrentMap(blocks.count) { (b: Int) throws(TrainingError) in
            let g = blocks.block(b, of: denoisedGradient).scalingRows(by: pass.blocks[b].outputScales)
            return try wrappingNN { () throws(NNError) in try network.backward(g, cache: pass.blocks[b].cache).parameters }
        }
        guard var total = gradients.first else { return network.parameters.zeros() }
        try wrappingNN { () throws(NNError) in for g in gradients.dropFirst() { try total.add(g) } }
        return total
    }

    /// Replaces the trainable parameters (an optimizer step or EMA weights).
    public mutating func load(parameters: NamedTensors<Scalar>) throws(TrainingError) {
        try wrappingNN { () throws(NNError) in try network.load(parameters: parameters) }
    }

    /// Replaces the whole state dict (PyTorch `load_state_dict(strict=True)`).
    public mutating func load(stateDict: [String: Matrix<Scalar>]) throws(TrainingError) {
        try wrappingNN { () throws(NNError) in try network.load(stateDict: stateDict) }
    }
}
