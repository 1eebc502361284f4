import Foundation
import Testing
import ScoreKitNN

@Suite struct NoiseEmbeddingTests {
    @Test func positionalMatchesEDMFormula() throws {
        let embed = try NoiseEmbedding<Double>.positional(channels: 8)
        let c = [0.3, -1.2, 2.5]
        let y = try embed(Matrix(column: c))
        #expect(y.columns == 8 && embed.stateDict.isEmpty)
        for (i, ci) in c.enumerated() {
            for k in 0..<4 {
                let omega = Foundation.pow(1.0 / 10_000, Double(k) / 4)  // (1/max_positions)^(k/(C/2))
                #expect(abs(y[i, k] - Foundation.cos(ci * omega)) < 1e-14)
                #expect(abs(y[i, 4 + k] - Foundation.sin(ci * omega)) < 1e-14)
            }
        }
    }

    @Test func positionalEndpointReachesTheLastFrequency() throws {
        let embed = try NoiseEmbedding<Double>.positional(channels: 6, maxPositions: 100, endpoint: true)
        #expect(abs(embed.angularFrequencies[2] - 0.01) < 1e-15)
        #expect(embed.angularFrequencies[0] == 1)
    }

    @Test func fourierUsesTwoPiTimesTheFrequencyBuffer() throws {
        let f = [0.5, -1.25, 3]
        let embed = try NoiseEmbedding<Double>.fourier(frequencies: f)
        let y = try embed(Matrix(column: [0.7]))
        for k in 0..<3 {
            #expect(abs(y[0, k] - Foundation.cos(0.7 * 2 * Double.pi * f[k])) < 1e-14)
            #expect(abs(y[0, 3 + k] - Foundation.sin(0.7 * 2 * Double.pi * f[k])) < 1e-14)
        }
        let state = embed.stateDict
        #expect(state.names == ["freqs"] && state[0].shape == [3] && !state[0].isTrainable)
        #expect(embed.parameters.isEmpty)
    }

    @Test func fourierFrequenciesHaveTheRequestedScale() throws {
        var rng = SplitMix64(31)
        let embed = try NoiseEmbedding<Double>.fourier(channels: 4000, scale: 16, using: &rng)
        let f = embed.frequencies.scalars
        let mean = f.reduce(0, +) / 2000
        let sd = (f.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 1999).squareRoot()
        #expect(abs(mean) < 16 * 4 / 2000.0.squareRoot())
        #expect(abs(sd - 16) < 16 * 0.1)
    }

    @Test func gradientWithRespectToNoiseLevelMatchesFiniteDifferences() throws {
        let c = Matrix(column: [0.4, -0.9, 1.7, 0.05])
        try expectLayerGradients(try NoiseEmbedding<Double>.positional(channels: 10), input: c)
        try expectLayerGradients(try NoiseEmbedding<Double>.fourier(frequencies: [0.3, -0.8, 1.1]), input: c)
    }

    @Test func badConfigurationsAndShapesThrow() throws {
        #expect(throws: NNError.self) { try NoiseEmbedding<Double>.positional(channels: 5) }
        #expect(throws: NNError.self) { try NoiseEmbedding<Double>.positional(channels: 2, endpoint: true) }
        #expect(throws: NNError.self) { try NoiseEmbedding<Double>.positional(channels: 4)(Matrix(rows: 3, columns: 2)) }
    }
}
