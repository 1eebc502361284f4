import PropertyBased
import ScoreKit
import Testing

/// Per-sample noise makes results independent of how a run is cut into batches (DESIGN.md,
/// "Noise source"): row r of a batch starting at sample s depends only on (seed, s + r, draw).
/// Each property compares one whole batch with the same rows produced batch by batch at random
/// split points, bit for bit.
@Suite struct BatchSplitProperties {
    /// Rows, columns, and the chunk sizes that cut the rows.
    static let split = zip(Gen.int(in: 1...24), Gen.int(in: 1...9), Gen.int(in: 1...8).array(of: 1...5))

    @Test func counterNormalRowsDoNotDependOnTheBatchSplit() async {
        await propertyCheck(count: 100, input: Self.split, Gens.seed, Gen.int(in: 0...1000)) { split, seed, draw in
            let (n, d, sizes) = split
            let rng = CounterNormalRNG(seed: seed)
            let whole: Matrix<Double> = rng.normals(rows: n, columns: d, draw: draw)
            let parts: [Matrix<Double>] = Draw.chunks(n, sizes: sizes).map {
                rng.normals(rows: $0.count, columns: d, firstSample: $0.lowerBound, draw: draw)
            }
            #expect(Matrix.vstack(parts) == whole)
            let wholeF: Matrix<Float> = rng.uniforms(rows: n, columns: d, draw: draw)
            let partsF: [Matrix<Float>] = Draw.chunks(n, sizes: sizes).map {
                rng.uniforms(rows: $0.count, columns: d, firstSample: $0.lowerBound, draw: draw)
            }
            #expect(Matrix.vstack(partsF) == wholeF)
            // Sample indices in any order: row r is sample order[r].
            let order = Array((0..<n).reversed())
            var permuted = Matrix<Double>(rows: n, columns: d)
            rng.fill(&permuted, samples: order, draw: draw)
            #expect(permuted == whole.rows(at: order))
        }
    }

    @Test func perSampleNoiseSourceDrawsDoNotDependOnTheBatchSplit() async throws {
        await propertyCheck(count: 100, input: Self.split, Gens.seed, Gen.int(in: 1...4)) { split, seed, draws in
            let (n, d, sizes) = split
            var whole = try PerSampleNoiseSource<Double>(seed: seed, firstDraw: 1)
            let wholeDraws = try (0..<draws).map { _ in try whole.next(rows: n, columns: d, sigma: 1, sigmaNext: 0.5) }
            var partDraws = [[Matrix<Double>]](repeating: [], count: draws)
            for range in Draw.chunks(n, sizes: sizes) {
                var source = try PerSampleNoiseSource<Double>(seed: seed, firstSample: range.lowerBound, firstDraw: 1)
                for k in 0..<draws {
                    partDraws[k].append(try source.next(rows: range.count, columns: d, sigma: 1, sigmaNext: 0.5))
                }
            }
            #expect(partDraws.map { Matrix.vstack($0) } == wholeDraws)
        }
    }

    /// Stochastic and deterministic k-diffusion samplers on a row-wise denoiser (a fitted
    /// Gaussian), started from draw 0 and fed draws 1, 2, … as the CLI does.
    @Test(arguments: ["euler", "euler_ancestral", "heun", "dpm_2_ancestral", "lms", "dpmpp_2s_ancestral",
                      "dpmpp_sde", "dpmpp_2m", "dpmpp_2m_sde", "dpmpp_3m_sde"])
    func samplerRowsDoNotDependOnTheBatchSplit(_ name: String) async throws {
        let sampler = try #require(SamplerName(rawValue: name))
        let data: Matrix<Double> = Draw.matrix(12, 3, seed: 99, scale: 2)
        let model = try GaussianDenoiser(fitting: data)
        let sigmas = try Schedule<Double>.karras(steps: 6, sigmaMin: 0.05, sigmaMax: 20).sigmas
        await propertyCheck(count: 8, input: Self.split, Gens.seed) { split, seed in
            let (n, _, sizes) = split
            func run(_ rows: Range<Int>) throws -> Matrix<Double> {
                let start: Matrix<Double> = CounterNormalRNG(seed: seed)
                    .normals(rows: rows.count, columns: 3, firstSample: rows.lowerBound, draw: 0)
                var noise = try PerSampleNoiseSource<Double>(seed: seed, firstSample: rows.lowerBound, firstDraw: 1)
                let x = Matrix(rows: rows.count, columns: 3, scalars: start.scalars.map { $0 * sigmas[0] })
                return try sampler.sample(SamplingModel(model), from: x, sigmas: sigmas, noise: &noise)
            }
            let whole = try run(0..<n)
            let parts = try Draw.chunks(n, sizes: sizes).map(run)
            #expect(Matrix.vstack(parts) == whole, "\(name): largest difference \(maxDifference(Matrix.vstack(parts), whole))")
        }
    }
}
