import Foundation
import ScoreKit

/// One empirical-denoiser benchmark: N training points of dimension d, B queries.
struct EmpiricalCase {
    let name: String
    let data: Matrix<Float>
    let batch: Int
    let repeats: Int

    var count: Int { data.rows }
    var dimension: Int { data.columns }
    /// The two products the formula needs (x·Xᵀ and W·X), 2·B·N·d flops each.
    var flops: Double { 4 * Double(batch) * Double(count) * Double(dimension) }
}

/// The empirical denoiser (Float) on digits and on random data, at 1 and 2 threads, next to the
/// plain sgemm of the same two products in the same run (scripts/bench_denoisers.py times numpy).
///
/// Threads: "1" is `.serial` with BLAS on 1 thread; "2" is `.automatic` (the training set split
/// over two threads) with BLAS on 1 thread, one threading layer as swift-numerics.md §7 advises.
/// The reference sgemm at "2" lets OpenBLAS use both cores.
func benchEmpiricalDenoiser(digits: Matrix<Float>) throws {
    let rng = CounterNormalRNG(seed: 11)
    func uniformData(_ n: Int, _ d: Int) -> Matrix<Float> {
        rng.uniforms(rows: n, columns: d, draw: 0, as: Float.self).map { 2 * $0 - 1 }
    }
    let cases = [
        EmpiricalCase(name: "digits", data: digits, batch: 1024, repeats: 7),
        EmpiricalCase(name: "random", data: uniformData(20_000, 256), batch: 1024, repeats: 3),
        EmpiricalCase(name: "random", data: uniformData(60_000, 784), batch: 256, repeats: 3),
    ]
    let sigma: Float = 1
    for c in cases where selected("empirical \(c.name) N=\(c.count)") {
        // Queries x_b = X[b mod N] + σ z_b: noised training points, as a sampler sees them.
        let z = CounterNormalRNG(seed: 12).normals(rows: c.batch, columns: c.dimension, draw: 0, as: Float.self)
        let x = Matrix<Float>(rows: c.batch, columns: c.dimension) { b, j in c.data[b % c.count, j] + sigma * z[b, j] }
        var cross = Matrix<Float>(rows: c.batch, columns: c.count)
        var mean = Matrix<Float>(rows: c.batch, columns: c.dimension)
        for threads in [1, 2] {
            NumericsBackend.setBLASThreads(threads)
            let gemm = measure(repeats: c.repeats, budget: 4) {
                Matrix.gemm(x, c.data, transposeB: true, into: &cross)
                Matrix.gemm(cross, c.data, into: &mean)
            }
            NumericsBackend.setBLASThreads(1)
            let denoiser = try EmpiricalDenoiser(data: c.data, parallelism: threads == 1 ? .serial : .automatic)
            var out = Matrix<Float>(rows: 0, columns: 0)
            let t = try measure(repeats: c.repeats, budget: 4) { out = try denoiser.denoise(x, sigma: sigma) }
            emit("empirical \(c.name) N=\(c.count) d=\(c.dimension) B=\(c.batch)", group: "denoiser", seconds: t,
                 threads: threads, flops: c.flops,
                 extra: ["N": c.count, "d": c.dimension, "B": c.batch, "dataset": c.name, "sigma": Double(sigma),
                         "sgemm_gflops": c.flops / gemm * 1e-9, "repeats": c.repeats])
            _ = out.count
        }
    }
}
