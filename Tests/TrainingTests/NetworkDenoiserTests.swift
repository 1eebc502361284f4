import Foundation
import Testing
@testable import ScoreKitTraining

/// The MLP as the Diffusion layer's network protocols, to compare against its independent wrappers.
struct ConditionalMLP: NoiseConditionalNetwork {
    let net: MLPDenoiserNet<Double>
    var dimension: Int { net.configuration.dataDimension }
    func callAsFunction(_ input: Matrix<Double>, noiseLabel: Double) throws -> Matrix<Double> {
        try net(input, noiseLevels: Matrix(rows: input.rows, columns: 1, repeating: noiseLabel))
    }
}

struct FieldMLP: UnconditionedField {
    let net: MLPDenoiserNet<Double>
    var dimension: Int { net.configuration.dataDimension }
    func callAsFunction(_ x: Matrix<Double>) throws -> Matrix<Double> { try net(x, noiseLevels: nil) }
}

@Suite struct NetworkDenoiserTests {
    let x = gaussianData(rows: 6, mean: [0.5, -0.5], std: 1.5)

    func network(noise: Bool) throws -> MLPDenoiserNet<Double> {
        var generator = PhiloxGenerator(seed: 1)
        return try MLPDenoiserNet(tinyModel(dimension: 2, noise: noise), using: &generator)
    }

    @Test(arguments: [Preconditioning.edmDefault, .epsilon, .ve, .vpDefault, .velocity(sigmaData: 1)])
    func preconditionedMatchesTheDiffusionLayer(_ p: Preconditioning) throws {
        let net = try network(noise: true)
        let ours = try NetworkDenoiser(network: net, parameterization: .preconditioned(p))
        let reference = try PreconditionedDenoiser(network: ConditionalMLP(net: net), preconditioning: p)
        for sigma in [0.01, 0.4, 7.0] {
            let a = try ours.denoise(x, sigma: sigma), b = try reference.denoise(x, sigma: sigma)
            #expect((a - b).maxAbs() <= 1e-12 * max(1, b.maxAbs()))
        }
    }

    @Test func multiplicativeIsXPlusSigmaF() throws {
        let net = try network(noise: false)
        let ours = try NetworkDenoiser(network: net, parameterization: .multiplicative)
        let reference = MultiplicativeNoiseConditioning(field: FieldMLP(net: net))
        for sigma in [0.05, 1.0, 20.0] {
            let a = try ours.denoise(x, sigma: sigma), b = try reference.denoise(x, sigma: sigma)
            #expect((a - b).maxAbs() <= 1e-12 * max(1, b.maxAbs()))
        }
    }

    @Test func denoisedPredictionIsTheNetworkOutput() throws {
        let net = try network(noise: true)
        let ours = try NetworkDenoiser(network: net, parameterization: .denoised)
        let sigma = 0.7
        let f = try net(x, noiseLevels: Matrix(rows: x.rows, columns: 1, repeating: Foundation.log(sigma) / 4))
        #expect((try ours.denoise(x, sigma: sigma) - f).maxAbs() == 0)
    }

    @Test func perRowSigmasEqualSeparateCalls() throws {
        let ours = try NetworkDenoiser(network: try network(noise: true), parameterization: .preconditioned(.edmDefault))
        let sigmas = [0.002, 0.1, 0.5, 1, 10, 80]
        let batched = try ours.denoise(x, sigmas: sigmas)
        for (r, sigma) in sigmas.enumerated() {
            let single = try ours.denoise(x.rows(r..<(r + 1)), sigma: sigma)
            #expect(zip(batched.row(r), single.row(0)).allSatisfy { abs($0 - $1) <= 1e-12 })
        }
    }

    @Test func mismatchedNetworksAreRefused() throws {
        #expect(throws: TrainingError.self) {
            try NetworkDenoiser(network: try network(noise: true), parameterization: .multiplicative)
        }
        #expect(throws: TrainingError.self) {
            try NetworkDenoiser(network: try network(noise: false), parameterization: .preconditioned(.edmDefault))
        }
        let ours = try NetworkDenoiser(network: try network(noise: true), parameterization: .denoised)
        #expect(throws: TrainingError.self) { try ours.denoise(x, sigmas: [1]) }
        #expect(throws: TrainingError.self) { try ours.denoise(x, sigmas: [1, 1, 1, 1, 1, -1]) }
        let pass = try ours.forward(x, sigmas: [Double](repeating: 1, count: x.rows))
        #expect(throws: TrainingError.self) { try ours.backward(x.rows(0..<2), pass: pass) }
    }
}

@Suite struct ShuffledBatchesTests {
    @Test func everyEpochVisitsEveryRowOnce() throws {
        var loader = try ShuffledBatches(rowCount: 12, batchSize: 4, seed: 5)
        for epoch in 0..<3 {
            let rows = (0..<3).flatMap { loader.indices(forStep: 3 * epoch + $0) }
            #expect(rows.sorted() == Array(0..<12))
        }
        #expect(loader.indices(forStep: 0) != loader.indices(forStep: 3))   // reshuffled
    }

    @Test func batchesDependOnlyOnTheStep() throws {
        var sequential = try ShuffledBatches(rowCount: 10, batchSize: 4, seed: 9)
        let all = (0..<8).map { sequential.indices(forStep: $0) }
        var fresh = try ShuffledBatches(rowCount: 10, batchSize: 4, seed: 9)
        #expect(fresh.indices(forStep: 5) == all[5])   // crosses an epoch boundary (positions 20..<24 → epoch 2)
        #expect(fresh.indices(forStep: 2) == all[2])   // positions 8..<12 span epochs 0 and 1
        let flat = all.flatMap { $0 }
        #expect(Array(flat[0..<10]).sorted() == Array(0..<10))
        #expect(Array(flat[10..<20]).sorted() == Array(0..<10))
        #expect(throws: TrainingError.self) { try ShuffledBatches(rowCount: 0, batchSize: 4, seed: 0) }
    }
}
