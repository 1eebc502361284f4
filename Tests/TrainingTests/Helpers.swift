import Foundation
import ScoreKitTraining

/// A small network and run configuration shared by the tests.
func tinyModel(dimension: Int, width: Int = 16, depth: Int = 1, noise: Bool = true) -> MLPDenoiserNetConfiguration {
    MLPDenoiserNetConfiguration(dataDimension: dimension, width: width, depth: depth,
                                noiseInput: noise ? .fourier(channels: 8, scale: 1) : .none,
                                conditioning: noise ? .film : .concatenation)
}

func configuration(dimension: Int, steps: Int, batch: Int = 32, learningRate: Double = 1e-3,
                   parameterization: NetworkParameterization = .preconditioned(.edmDefault), seed: UInt64 = 7,
                   width: Int = 16, depth: Int = 1) throws -> TrainingConfiguration {
    TrainingConfiguration(model: tinyModel(dimension: dimension, width: width, depth: depth,
                                           noise: parameterization.needsNoiseInput),
                          parameterization: parameterization, batchSize: batch, steps: steps,
                          learningRate: try LearningRateSchedule(base: learningRate, warmupSteps: 5), gradientClipNorm: 10,
                          emaDecay: 0.9, seed: seed)
}

/// N points of N(μ, s² I) in d dimensions (seeded).
func gaussianData(rows: Int, mean: [Double], std: Double, seed: UInt64 = 99) -> Matrix<Double> {
    let z: Matrix<Double> = CounterNormalRNG(seed: seed).normals(rows: rows, columns: mean.count, draw: 5)
    return (std * z).addingToRows(mean)
}

func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("scorekit-training-\(UUID().uuidString)-\(name)")
}
