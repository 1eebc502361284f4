import Testing
import ScoreKitNN

@Suite struct LayerNormTests {
    @Test func defaultOutputHasZeroMeanAndUnitVariancePerRow() throws {
        let norm = try LayerNorm<Double>(width: 7)
        let x = randomMatrix(5, 7, seed: 21, scale: 4, as: Double.self).addingToRows([Double](repeating: 3, count: 7))
        let y = try norm(x)
        for i in 0..<5 {
            let row = Array(y.row(i))
            let mean = row.reduce(0, +) / 7
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7
            // Biased variance of x̂ is σ²/(σ² + ε), slightly below 1.
            let xs = Array(x.row(i)), xm = xs.reduce(0, +) / 7
            let sigma2 = xs.map { ($0 - xm) * ($0 - xm) }.reduce(0, +) / 7
            #expect(abs(mean) < 1e-12)
            #expect(abs(variance - sigma2 / (sigma2 + 1e-5)) < 1e-12)
        }
    }

    @Test func affineParametersScaleAndShiftTheNormalisedValues() throws {
        var norm = try LayerNorm<Double>(width: 3)
        try norm.load(stateDict: ["weight": Matrix(row: [2, -1, 0.5]), "bias": Matrix(row: [1, 0, -3])])
        // Row (1, 2, 6): mean 3, biased variance 14/3.
        let y = try norm(Matrix(row: [1, 2, 6]))
        let s = (14.0 / 3 + 1e-5).squareRoot()
        let expected = [2 * (-2 / s) + 1, -1 * (-1 / s), 0.5 * (3 / s) - 3]
        for (v, e) in zip(y.scalars, expected) { #expect(abs(v - e) < 1e-14) }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        var norm = try LayerNorm<Double>(width: 6)
        try norm.load(parameters: NamedTensors([
            NamedTensor(name: "weight", value: randomMatrix(1, 6, seed: 22, as: Double.self), isVector: true),
            NamedTensor(name: "bias", value: randomMatrix(1, 6, seed: 23, as: Double.self), isVector: true),
        ]))
        try expectLayerGradients(norm, input: randomMatrix(4, 6, seed: 24, scale: 2, as: Double.self))
    }

    @Test func wrongWidthThrows() throws {
        #expect(throws: NNError.self) { try LayerNorm<Double>(width: 4)(Matrix(rows: 2, columns: 3)) }
        #expect(throws: NNError.self) { try LayerNorm<Float>(width: 0) }
    }
}
