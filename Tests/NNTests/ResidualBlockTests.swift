import Testing
import ScoreKitNN

/// FiLM and the residual block: two-input modules, checked against closed forms and finite differences.
@Suite struct ResidualBlockTests {
    @Test func filmWithZeroWeightAppliesTheBiasAsScaleAndShift() throws {
        let projection = try Linear<Double>(weight: Matrix(rows: 4, columns: 3), bias: [0.5, -2, 3, 0.25])
        let film = try FiLM(projection: projection)
        let h = Matrix<Double>(rowArrays: [[1, 2], [-3, 4]])
        let y = try film.forward(h, conditioning: randomMatrix(2, 3, seed: 41, as: Double.self)).output
        // scale = (0.5, −2), shift = (3, 0.25): y = h ⊙ (1 + scale) + shift.
        let expected = Matrix<Double>(rowArrays: [[4.5, -1.75], [-1.5, -3.75]])
        #expect(y == expected)
        #expect(film.stateDict.names == ["weight", "bias"])
    }

    @Test func filmGradientsMatchFiniteDifferences() throws {
        var rng = SplitMix64(42)
        let film = try FiLM<Double>(conditioningWidth: 3, width: 4, using: &rng)
        let h = randomMatrix(5, 4, seed: 43, as: Double.self), e = randomMatrix(5, 3, seed: 44, as: Double.self)
        let w = randomMatrix(5, 4, seed: 45, as: Double.self)
        let cache = try film.forward(h, conditioning: e).cache
        let g = try film.backward(w, cache: cache)
        let dh = try numericalGradient(at: h) { try weightedSum(film.forward($0, conditioning: e).output, w) }
        let de = try numericalGradient(at: e) { try weightedSum(film.forward(h, conditioning: $0).output, w) }
        #expect(maxRelativeError(g.input, dh) < 1e-8)
        #expect(maxRelativeError(try #require(g.conditioning), de) < 1e-8)
        try expectParameterGradients(of: film, analytic: g.parameters) { try weightedSum($0.forward(h, conditioning: e).output, w) }
        let withoutConditioning = try film.backward(w, cache: cache, conditioningGradient: false)
        #expect(withoutConditioning.conditioning == nil)
        #expect(withoutConditioning.parameters == g.parameters)
    }

    @Test func blockWithZeroOutputLayerIsTheIdentity() throws {
        var rng = SplitMix64(46)
        var block = try ResidualBlock<Double>(width: 4, hiddenWidth: 6, activation: .silu, conditioningWidth: nil, using: &rng)
        try block.load(parameters: block.parameters
            .replacing("linear2.weight", with: Matrix(rows: 4, columns: 6))
            .replacing("linear2.bias", with: Matrix(rows: 1, columns: 4)))
        let x = randomMatrix(3, 4, seed: 47, as: Double.self)
        #expect(try block.forward(x).output == x)
    }

    @Test(arguments: [false, true])
    func blockGradientsMatchFiniteDifferences(conditioned: Bool) throws {
        var rng = SplitMix64(48)
        let block = try ResidualBlock<Double>(width: 5, hiddenWidth: 7, activation: .gelu,
                                              conditioningWidth: conditioned ? 3 : nil, using: &rng)
        let x = randomMatrix(4, 5, seed: 49, as: Double.self), w = randomMatrix(4, 5, seed: 50, as: Double.self)
        let e: Matrix<Double>? = conditioned ? randomMatrix(4, 3, seed: 51, as: Double.self) : nil
        let g = try block.backward(w, cache: try block.forward(x, conditioning: e).cache)
        let dx = try numericalGradient(at: x) { try weightedSum(block.forward($0, conditioning: e).output, w) }
        #expect(maxRelativeError(g.input, dx) < 1e-7)
        if let e {
            let de = try numericalGradient(at: e) { try weightedSum(block.forward(x, conditioning: $0).output, w) }
            #expect(maxRelativeError(try #require(g.conditioning), de) < 1e-7)
        }
        try expectParameterGradients(of: block, analytic: g.parameters) { try weightedSum($0.forward(x, conditioning: e).output, w) }
        let expectedNames = ["norm.weight", "norm.bias"] + (conditioned ? ["film.weight", "film.bias"] : [])
            + ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
        #expect(block.stateDict.names == expectedNames)
    }

    @Test func mappingNetworkGradientsMatchFiniteDifferences() throws {
        var rng = SplitMix64(53)
        let mapping = try MappingNetwork<Double>(inputWidth: 4, width: 3, activation: .silu, using: &rng)
        #expect(mapping.stateDict.names == ["0.weight", "0.bias", "2.weight", "2.bias"])
        try expectLayerGradients(mapping, input: randomMatrix(5, 4, seed: 54, as: Double.self))
    }

    @Test func conditioningMismatchThrows() throws {
        var rng = SplitMix64(52)
        let plain = try ResidualBlock<Double>(width: 2, hiddenWidth: 2, activation: .relu, conditioningWidth: nil, using: &rng)
        let filmed = try ResidualBlock<Double>(width: 2, hiddenWidth: 2, activation: .relu, conditioningWidth: 3, using: &rng)
        let x = Matrix<Double>(rows: 2, columns: 2)
        #expect(throws: NNError.self) { try plain.forward(x, conditioning: Matrix(rows: 2, columns: 3)) }
        #expect(throws: NNError.self) { try filmed.forward(x) }
        #expect(throws: NNError.self) { try filmed.forward(x, conditioning: Matrix(rows: 3, columns: 3)) }
    }
}
