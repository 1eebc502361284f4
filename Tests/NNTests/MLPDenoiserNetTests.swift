import Testing
import ScoreKitNN

@Suite struct MLPDenoiserNetTests {
    typealias Net = MLPDenoiserNet<Double>

    /// The numpy reference networks of scripts/fixtures/make_nn_fixtures.py.
    static let references: [(name: String, configuration: Net.Configuration, state: [FixtureTensor],
                             x: [Double], noiseLevels: [Double]?, output: [Double])] = [
        ("filmFourierSiLU",
         .init(dataDimension: 3, width: 8, depth: 2, hiddenWidth: 6, activation: .silu,
               noiseInput: .fourier(channels: 4, scale: 1), mappingWidth: 5, conditioning: .film),
         NNFixtures.filmFourierSiLUState, NNFixtures.filmFourierSiLUX, NNFixtures.filmFourierSiLUNoiseLevels,
         NNFixtures.filmFourierSiLUOutput),
        ("concatPositionalGELU",
         .init(dataDimension: 2, width: 6, depth: 2, hiddenWidth: 5, activation: .gelu,
               noiseInput: .positional(channels: 6, endpoint: true), conditioning: .concatenation),
         NNFixtures.concatPositionalGELUState, NNFixtures.concatPositionalGELUX,
         NNFixtures.concatPositionalGELUNoiseLevels, NNFixtures.concatPositionalGELUOutput),
        ("noNoiseTanhGELU",
         .init(dataDimension: 4, width: 5, depth: 1, hiddenWidth: 7, activation: .geluTanh,
               noiseInput: .none, conditioning: .concatenation),
         NNFixtures.noNoiseTanhGELUState, NNFixtures.noNoiseTanhGELUX, nil, NNFixtures.noNoiseTanhGELUOutput),
        ("noNoiseReLU",
         .init(dataDimension: 2, width: 4, depth: 3, hiddenWidth: 4, activation: .relu,
               noiseInput: .none, conditioning: .concatenation),
         NNFixtures.noNoiseReLUState, NNFixtures.noNoiseReLUX, nil, NNFixtures.noNoiseReLUOutput),
    ]

    @Test(arguments: references.indices)
    func forwardMatchesNumpyReference(_ index: Int) throws {
        let r = Self.references[index]
        var rng = SplitMix64(60)
        var net = try Net(r.configuration, using: &rng)
        try net.load(stateDict: stateDictionary(r.state))
        let d = r.configuration.dataDimension
        let x = Matrix(rows: r.x.count / d, columns: d, scalars: r.x)
        let c = r.noiseLevels.map { Matrix(column: $0) }
        let y = try net(x, noiseLevels: c)
        #expect(maxRelativeError(y, Matrix(rows: x.rows, columns: d, scalars: r.output)) < 1e-12, "\(r.name)")

        var single = try MLPDenoiserNet<Float>(r.configuration, using: &rng)
        try single.load(stateDict: stateDictionary(r.state))
        let yf = try single(x.converted(to: Float.self), noiseLevels: c?.converted(to: Float.self))
        #expect(maxRelativeError(yf.converted(to: Double.self), y) < 1e-5, "\(r.name) in Float")
    }

    static let gradientConfigurations: [Net.Configuration] = [
        .init(dataDimension: 3, width: 6, depth: 2, hiddenWidth: 5, activation: .silu,
              noiseInput: .fourier(channels: 4, scale: 2), conditioning: .film),
        .init(dataDimension: 2, width: 5, depth: 2, activation: .silu,
              noiseInput: .positional(channels: 4), mappingWidth: 3, conditioning: .film),
        .init(dataDimension: 2, width: 5, depth: 1, activation: .gelu,
              noiseInput: .positional(channels: 4), conditioning: .concatenation),
        .init(dataDimension: 2, width: 5, depth: 1, activation: .relu,
              noiseInput: .fourier(channels: 6, scale: 0.5), mappingWidth: 4, conditioning: .concatenation),
        .init(dataDimension: 2, width: 4, depth: 2, activation: .geluTanh, noiseInput: .none, conditioning: .concatenation),
    ]

    /// ½‖F(x, c) − target‖², whose gradient with respect to F is F − target.
    @Test(arguments: gradientConfigurations.indices)
    func squaredErrorGradientsMatchFiniteDifferences(_ index: Int) throws {
        let configuration = Self.gradientConfigurations[index]
        var rng = SplitMix64(61)
        let net = try Net(configuration, using: &rng)
        let d = configuration.dataDimension
        let x = randomMatrix(4, d, seed: 62, scale: 2, as: Double.self)
        let target = randomMatrix(4, d, seed: 63, as: Double.self)
        let c: Matrix<Double>? = configuration.noiseInput == .none ? nil : Matrix(column: [-1, 0.2, 0.7, 1.4])
        func loss(_ net: Net, _ x: Matrix<Double>) throws -> Double {
            try (net(x, noiseLevels: c) - target).rowSquaredNorms().reduce(0, +) / 2
        }
        let (y, cache) = try net.forward(x, noiseLevels: c)
        let g = try net.backward(y - target, cache: cache)
        let dx = try numericalGradient(at: x) { try loss(net, $0) }
        #expect(maxRelativeError(g.input, dx) < 1e-7)
        try expectParameterGradients(of: net, analytic: g.parameters) { try loss($0, x) }
    }

    @Test func stateDictNamesAndShapesFollowPyTorchConventions() throws {
        var rng = SplitMix64(64)
        let net = try Net(.init(dataDimension: 2, width: 16, depth: 2, hiddenWidth: 32,
                                noiseInput: .fourier(channels: 8, scale: 16), conditioning: .film), using: &rng)
        var expected: [(String, [Int])] = [("embed.freqs", [4]), ("input.weight", [16, 2]), ("input.bias", [16])]
        for i in 0..<2 {
            expected += [("blocks.\(i).norm.weight", [16]), ("blocks.\(i).norm.bias", [16]),
                         ("blocks.\(i).film.weight", [32, 8]), ("blocks.\(i).film.bias", [32]),
                         ("blocks.\(i).linear1.weight", [32, 16]), ("blocks.\(i).linear1.bias", [32]),
                         ("blocks.\(i).linear2.weight", [16, 32]), ("blocks.\(i).linear2.bias", [16])]
        }
        expected += [("output_norm.weight", [16]), ("output_norm.bias", [16]), ("output.weight", [2, 16]), ("output.bias", [2])]
        let names: [String] = expected.map(\.0), shapes: [[Int]] = expected.map(\.1)
        let trainableCount: Int = shapes.dropFirst().map { $0.reduce(1, *) }.reduce(0, +)
        #expect(net.stateDict.names == names)
        #expect(net.stateDict.map(\.shape) == shapes)
        #expect(net.parameters.names == Array(names.dropFirst()))
        #expect(net.parameterCount == trainableCount)

        let concatenated = try Net(.init(dataDimension: 2, width: 16, depth: 1,
                                         noiseInput: .positional(channels: 8), conditioning: .concatenation), using: &rng)
        #expect(concatenated.stateDict.names.first == "input.weight")
        #expect(concatenated.stateDict[0].shape == [16, 10])
        #expect(!concatenated.stateDict.names.contains { $0.contains("film") })

        let mapped = try Net(.init(dataDimension: 2, width: 16, depth: 1, noiseInput: .positional(channels: 8),
                                   mappingWidth: 12, conditioning: .film), using: &rng)
        let mappedShapes = Dictionary(uniqueKeysWithValues: mapped.stateDict.map { ($0.name, $0.shape) })
        #expect(Array(mapped.stateDict.names.prefix(4)) == ["map.0.weight", "map.0.bias", "map.2.weight", "map.2.bias"])
        #expect(mappedShapes["map.0.weight"] == [12, 8] && mappedShapes["map.2.weight"] == [12, 12])
        #expect(mappedShapes["blocks.0.film.weight"] == [32, 12])
    }

    @Test func loadingRejectsBadStateDictsWithTheTensorName() throws {
        var rng = SplitMix64(65)
        var net = try Net(.init(dataDimension: 2, width: 4, depth: 1, noiseInput: .fourier(channels: 4, scale: 1)), using: &rng)
        let good = net.stateDict.dictionary
        var wrongShape = good
        wrongShape["blocks.0.linear1.weight"] = Matrix(rows: 4, columns: 5)
        #expect(throws: NNError.tensorShape(name: "blocks.0.linear1.weight", expected: [4, 4], found: [4, 5])) {
            try net.load(stateDict: wrongShape)
        }
        var missing = good
        missing["embed.freqs"] = nil
        #expect(throws: NNError.missingTensor("embed.freqs")) { try net.load(stateDict: missing) }
        var extra = good
        extra["blocks.1.norm.weight"] = Matrix(rows: 1, columns: 4)
        #expect(throws: NNError.unexpectedTensor("blocks.1.norm.weight")) { try net.load(stateDict: extra) }
        #expect(NNError.missingTensor("embed.freqs").description.contains("embed.freqs"))

        // Failed loads changed nothing (the unexpected tensor was found after all others were read).
        #expect(net.stateDict.dictionary == good)
        let zeroed = net.stateDict.zeros().dictionary
        try net.load(stateDict: zeroed)
        #expect(net.stateDict.dictionary == zeroed)
        #expect(throws: NNError.self) { try NamedTensor<Double>.matrix(name: "t", shape: [2, 2, 2], scalars: []) }
        #expect(throws: NNError.self) { try NamedTensor<Double>.matrix(name: "t", shape: [3], scalars: [1, 2]) }
    }

    @Test func loadingParametersKeepsBuffers() throws {
        var rng = SplitMix64(66)
        var net = try Net(.init(dataDimension: 2, width: 4, depth: 1, noiseInput: .fourier(channels: 4, scale: 1)), using: &rng)
        let freqs = try #require(net.stateDict["embed.freqs"])
        let zeroed = net.parameters.zeros()
        try net.load(parameters: zeroed)
        #expect(net.parameters == zeroed)
        #expect(net.stateDict["embed.freqs"] == freqs)
    }

    @Test func noiseInputMismatchesThrow() throws {
        var rng = SplitMix64(67)
        let conditioned = try Net(.init(dataDimension: 2, width: 4, depth: 1), using: &rng)
        let unconditioned = try Net(.init(dataDimension: 2, width: 4, depth: 1, noiseInput: .none, conditioning: .concatenation), using: &rng)
        let x = Matrix<Double>(rows: 3, columns: 2)
        #expect(throws: NNError.self) { try conditioned(x, noiseLevels: nil) }
        #expect(throws: NNError.self) { try conditioned(x, noiseLevels: Matrix(column: [1, 2])) }
        #expect(throws: NNError.self) { try unconditioned(x, noiseLevels: Matrix(column: [1, 2, 3])) }
        #expect(throws: NNError.self) { try conditioned(Matrix(rows: 3, columns: 3), noiseLevels: Matrix(column: [1, 2, 3])) }
        #expect(throws: NNError.self) {
            try Net(.init(dataDimension: 2, noiseInput: .none, conditioning: .film), using: &rng)
        }
    }

    /// End to end in Float (the training default): Adam on ½‖F(x, c) − target‖² for a smooth target
    /// drives the loss down by more than 10×.
    @Test func floatNetworkFitsASmoothFunctionWithAdam() throws {
        var rng = SplitMix64(68)
        var net = try MLPDenoiserNet<Float>(.init(dataDimension: 2, width: 32, depth: 2,
                                                  noiseInput: .positional(channels: 8)), using: &rng)
        let x = randomMatrix(64, 2, seed: 69, as: Float.self)
        let c = Matrix(column: (0..<64).map { Float($0 % 8) / 4 - 1 })
        let target = Matrix(rows: 64, columns: 2) { i, j in j == 0 ? x[i, 1] * c[i, 0] : x[i, 0] * x[i, 1] }
        var adam = try Adam<Float>(learningRate: 3e-3)
        var losses = [Float]()
        for _ in 0..<300 {
            let (y, cache) = try net.forward(x, noiseLevels: c)
            let residual = y - target
            losses.append(residual.rowSquaredNorms().reduce(0, +) / 128)
            try net.update(using: &adam, gradients: net.backward(residual / 64, cache: cache).parameters)
        }
        #expect(losses.last! < losses.first! / 10, "loss \(losses.first!) → \(losses.last!)")
    }
}
