/// Sinusoidal embedding of a per-row noise level c_noise (a B × 1 column) into B × C features
/// [cos(c ω_1) … cos(c ω_{C/2}), sin(c ω_1) … sin(c ω_{C/2})], as EDM's `networks.py`:
///
/// * `PositionalEmbedding` (DDPM++ / transformer style): ω_k = (1/max_positions)^(k / (C/2 − e)),
///   k = 0 … C/2 − 1, with e = 1 when `endpoint` is set; no tensors in the state dict.
/// * `FourierEmbedding` (NCSN++): ω_k = 2π f_k with a buffer `freqs` f ~ N(0, scale²), saved in
///   the state dict but never trained.
public struct NoiseEmbedding<Scalar: MatrixScalar>: Layer {
    public enum Kind: Sendable, Equatable {
        case positional(maxPositions: Double, endpoint: Bool)
        case fourier
    }

    public let kind: Kind
    /// 1 × C/2: the angular frequencies ω (positional) or the buffer `freqs` f with ω = 2π f (Fourier).
    public private(set) var frequencies: Matrix<Scalar>

    /// The number of output features C.
    public var channels: Int { 2 * frequencies.columns }

    /// EDM `PositionalEmbedding(num_channels, max_positions=10000, endpoint=False)`.
    public static func positional(channels: Int, maxPositions: Double = 10_000, endpoint: Bool = false) throws(NNError) -> Self {
        let half = channels / 2
        guard channels >= 2, channels.isMultiple(of: 2), maxPositions > 0, !(endpoint && half < 2) else {
            throw .invalidConfiguration("positional embedding with \(channels) channels (needs an even count ≥ \(endpoint ? 4 : 2)), max positions \(maxPositions)")
        }
        let denominator = Double(half - (endpoint ? 1 : 0))
        let omega = (0..<half).map { k in Scalar(Double.pow(1 / maxPositions, Double(k) / denominator)) }
        return Self(kind: .positional(maxPositions: maxPositions, endpoint: endpoint), frequencies: Matrix(row: omega))
    }

    /// EDM `FourierEmbedding(num_channels, scale=16)` with freqs drawn from N(0, scale²).
    public static func fourier(channels: Int, scale: Scalar = 16, using rng: inout some RandomNumberGenerator) throws(NNError) -> Self {
        guard channels >= 2, channels.isMultiple(of: 2) else {
            throw .invalidConfiguration("Fourier embedding with \(channels) channels (needs an even count ≥ 2)")
        }
        return Self(kind: .fourier, frequencies: .normal(rows: 1, columns: channels / 2, standardDeviation: scale, using: &rng))
    }

    /// A Fourier embedding with given `freqs` (e.g. read from a checkpoint).
    public static func fourier(frequencies: [Scalar]) throws(NNError) -> Self {
        guard !frequencies.isEmpty else { throw .invalidConfiguration("Fourier embedding without frequencies") }
        return Self(kind: .fourier, frequencies: Matrix(row: frequencies))
    }

    private init(kind: Kind, frequencies: Matrix<Scalar>) {
        self.kind = kind
        self.frequencies = frequencies
    }

    /// ω, the factor of c inside cos and sin.
    public var angularFrequencies: [Scalar] {
        kind == .fourier ? frequencies.scalars.map { 2 * Scalar.pi * $0 } : frequencies.scalars
    }

    /// The cache is the column of noise levels.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ c: Matrix<Scalar>) throws(NNError) -> (output: Matrix<Scalar>, cache: Matrix<Scalar>) {
        guard c.columns == 1 else {
            throw .shapeMismatch(layer: "NoiseEmbedding", detail: "noise levels are \(c.rows)×\(c.columns), expected a column (B×1)")
        }
        let omega = angularFrequencies, half = omega.count
        var out = [Scalar](repeating: 0, count: c.rows * 2 * half)
        for i in 0..<c.rows {
            for k in 0..<half {
                let a = c.scalars[i] * omega[k]
                out[i * 2 * half + k] = Scalar.cos(a)
                out[i * 2 * half + half + k] = Scalar.sin(a)
            }
        }
        return (Matrix(rows: c.rows, columns: 2 * half, scalars: out), c)
    }

    /// ∂L/∂c_i = Σ_k ω_k (−sin(c_i ω_k) ∂L/∂cos_ik + cos(c_i ω_k) ∂L/∂sin_ik); the frequencies are
    /// fixed, so there are no parameter gradients.
    public func backward(_ outputGradient: Matrix<Scalar>, cache c: Matrix<Scalar>) throws(NNError) -> LayerGradients<Scalar> {
        try checkShape(outputGradient, rows: c.rows, columns: channels, layer: "NoiseEmbedding", what: "output gradient")
        let omega = angularFrequencies, half = omega.count
        let g = outputGradient.scalars
        let dc = (0..<c.rows).map { i in
            (0..<half).reduce(Scalar(0)) { acc, k in
                let a = c.scalars[i] * omega[k]
                return acc + omega[k] * (Scalar.cos(a) * g[i * 2 * half + half + k] - Scalar.sin(a) * g[i * 2 * half + k])
            }
        }
        return LayerGradients(input: Matrix(column: dc))
    }

    public var stateDict: NamedTensors<Scalar> {
        guard kind == .fourier else { return NamedTensors() }
        return NamedTensors([NamedTensor(name: "freqs", value: frequencies, isVector: true, isTrainable: false)])
    }

    public mutating func load(from reader: inout StateReader<Scalar>, prefix: String) throws(NNError) {
        guard kind == .fourier else { return }
        frequencies = try reader.take(prefix + "freqs", replacing: frequencies, isVector: true, isBuffer: true)
    }
}
