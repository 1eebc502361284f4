import Testing
import ScoreKitNN

/// `MLPDenoiserNetConfiguration.validate` and `parameterCount`, which judge a configuration
/// from a file before any weight is allocated, against the network `MLPDenoiserNet.init` builds.
@Suite struct MLPDenoiserNetConfigurationValidationTests {
    typealias Configuration = MLPDenoiserNetConfiguration

    static let architectures: [Configuration] = [
        Configuration(dataDimension: 2, width: 8, depth: 1),
        Configuration(dataDimension: 3, width: 8, depth: 2, hiddenWidth: 6, noiseInput: .fourier(channels: 4, scale: 1),
                      mappingWidth: 5, conditioning: .film),
        Configuration(dataDimension: 3, width: 7, depth: 3, hiddenWidth: 5, noiseInput: .positional(channels: 6, endpoint: true),
                      conditioning: .concatenation),
        Configuration(dataDimension: 4, width: 6, depth: 1, noiseInput: .positional(channels: 2), mappingWidth: 3,
                      conditioning: .concatenation),
        Configuration(dataDimension: 2, width: 5, depth: 2, noiseInput: .none, conditioning: .concatenation),
        Configuration(dataDimension: 5, width: 4, depth: 0, noiseInput: .fourier(channels: 8, scale: 2), mappingWidth: 4),
        Configuration(dataDimension: 1, width: 3, depth: 4, hiddenWidth: 9, noiseInput: .fourier(channels: 2, scale: 16)),
    ]

    /// The closed form from the shapes equals the sum of the built network's trainable tensor sizes.
    @Test(arguments: architectures) func parameterCountMatchesTheBuiltNetwork(_ configuration: Configuration) throws {
        try configuration.validate()
        var generator = SystemRandomNumberGenerator()
        let network = try MLPDenoiserNet<Float>(configuration, using: &generator)
        let counted = network.parameters.reduce(0) { $0 + $1.value.rows * $1.value.columns }
        #expect(try configuration.parameterCount == counted)
    }

    /// Settings the initializer cannot build are refused by `validate` alone, with the same error type.
    @Test(arguments: [
        Configuration(dataDimension: 0, width: 8, depth: 1),
        Configuration(dataDimension: 2, width: 8, depth: -1),
        Configuration(dataDimension: 2, width: 8, depth: 1, hiddenWidth: 0),
        Configuration(dataDimension: 2, width: 8, depth: 1, noiseInput: .fourier(channels: 7, scale: 1)),
        Configuration(dataDimension: 2, width: 8, depth: 1, noiseInput: .positional(channels: 2, endpoint: true)),
        Configuration(dataDimension: 2, width: 8, depth: 1, noiseInput: .none, conditioning: .film),
        Configuration(dataDimension: 2, width: 8, depth: 1, noiseInput: .none, mappingWidth: 4, conditioning: .concatenation),
        Configuration(dataDimension: 2, width: 8, depth: 1, mappingWidth: 0),
    ]) func refusesWhatTheInitializerRefuses(_ configuration: Configuration) {
        #expect(throws: NNError.self) { try configuration.validate() }
        var generator = SystemRandomNumberGenerator()
        #expect(throws: NNError.self) { try MLPDenoiserNet<Float>(configuration, using: &generator) }
    }

    /// Sizes past `Int` are an error, not a trap or a wrapped small number.
    @Test func overflowingSizesAreErrors() {
        let wide = Configuration(dataDimension: 2, width: Int.max / 2 + 1, depth: 1, hiddenWidth: 1)
        #expect(throws: NNError.self) { try wide.parameterCount }
        let deep = Configuration(dataDimension: 2, width: 8, depth: Int.max)
        #expect(throws: NNError.self) { try deep.parameterCount }
        #expect(throws: NNError.self) { try deep.activationsPerRow }
        #expect(throws: NNError.self) { try deep.validate() }
    }

    /// Per row: embedding E, input W, per block 4W + W (FiLM) + 2H, output norm and activation 2W,
    /// output d; here 8 + 8 + 2 · (32 + 8 + 32) + 16 + 2.
    @Test func activationsPerRowCountsEveryLayerOutput() throws {
        let configuration = Configuration(dataDimension: 2, width: 8, depth: 2, hiddenWidth: 16, noiseInput: .fourier(channels: 8, scale: 1))
        #expect(try configuration.activationsPerRow == 178)
    }
}
