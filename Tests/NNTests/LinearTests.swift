import Testing
@testable import ScoreKitNN

@Suite struct LinearTests {
    @Test func forwardMatchesTripleLoop() throws {
        var rng = SplitMix64(1)
        let layer = try Linear<Double>(inputWidth: 5, outputWidth: 3, using: &rng)
        let x = randomMatrix(4, 5, seed: 2, as: Double.self)
        let y = try layer(x)
        #expect(y.rows == 4 && y.columns == 3)
        for i in 0..<4 {
            for o in 0..<3 {
                var s = layer.bias[0, o]
                for k in 0..<5 { s += x[i, k] * layer.weight[o, k] }
                #expect(abs(y[i, o] - s) < 1e-12)
            }
        }
    }

    @Test func floatForwardMatchesDouble() throws {
        var rng = SplitMix64(3)
        let layer = try Linear<Double>(inputWidth: 7, outputWidth: 4, using: &rng)
        var single = try Linear<Float>(inputWidth: 7, outputWidth: 4, using: &rng)
        try single.load(stateDict: layer.stateDict.dictionary.mapValues { $0.converted(to: Float.self) })
        let x = randomMatrix(6, 7, seed: 4, as: Double.self)
        let error = maxRelativeError(try single(x.converted(to: Float.self)).converted(to: Double.self), try layer(x))
        #expect(error < 1e-5)
    }

    @Test func defaultInitialisationIsUniformWithinOneOverRootFanIn() throws {
        var rng = SplitMix64(5)
        let layer = try Linear<Double>(inputWidth: 16, outputWidth: 32, using: &rng)
        let values = layer.weight.scalars + layer.bias.scalars
        #expect(values.allSatisfy { abs($0) <= 0.25 })
        #expect(values.map(abs).max()! > 0.2)  // the bound is reached, not a narrower range
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        var rng = SplitMix64(6)
        let layer = try Linear<Double>(inputWidth: 4, outputWidth: 3, using: &rng)
        try expectLayerGradients(layer, input: randomMatrix(5, 4, seed: 7, as: Double.self))
    }

    @Test func accumulationAddsToExistingGradients() throws {
        var rng = SplitMix64(8)
        let layer = try Linear<Double>(inputWidth: 3, outputWidth: 2, using: &rng)
        let x1 = randomMatrix(4, 3, seed: 9, as: Double.self), x2 = randomMatrix(6, 3, seed: 10, as: Double.self)
        let g1 = randomMatrix(4, 2, seed: 11, as: Double.self), g2 = randomMatrix(6, 2, seed: 12, as: Double.self)
        var dW = Matrix<Double>(rows: 2, columns: 3), db = Matrix<Double>(rows: 1, columns: 2)
        try layer.accumulateParameterGradients(g1, cache: x1, weight: &dW, bias: &db)
        try layer.accumulateParameterGradients(g2, cache: x2, weight: &dW, bias: &db)
        // One pass over the stacked batch gives the same sums.
        let whole = try layer.parameterGradients(Matrix.vstack([g1, g2]), cache: Matrix.vstack([x1, x2]))
        #expect(maxRelativeError(dW, try #require(whole["weight"])) < 1e-12)
        #expect(maxRelativeError(db, try #require(whole["bias"])) < 1e-12)
    }

    @Test func wrongShapesThrowTypedErrors() throws {
        var rng = SplitMix64(13)
        let layer = try Linear<Double>(inputWidth: 3, outputWidth: 2, using: &rng)
        #expect(throws: NNError.self) { try layer(Matrix(rows: 2, columns: 4)) }
        let (_, cache) = try layer.forward(Matrix(rows: 2, columns: 3))
        #expect(throws: NNError.self) { try layer.backward(Matrix(rows: 2, columns: 3), cache: cache) }
        #expect(throws: NNError.self) { try Linear<Double>(weight: Matrix(rows: 2, columns: 3), bias: [1]) }
        #expect(throws: NNError.self) { try Linear<Double>(inputWidth: 0, outputWidth: 2, using: &rng) }
    }
}
