import Foundation
import ScoreKit

/// A deterministic Float matrix with entries in [−1, 1] (no RNG, so numpy needs no copy of it).
func filled(_ rows: Int, _ cols: Int, seed: Int) -> Matrix<Float> {
    Matrix(rows: rows, columns: cols) { i, j in Float(((i &* 7919 &+ j &* 104_729 &+ seed) % 2001) - 1000) / 1000 }
}

/// GEMM, softmax, pairwise distances and normals (scripts/bench.py times numpy on the same shapes).
func benchKernels() {
    for threads in [1, 2] {
        NumericsBackend.setBLASThreads(threads)
        for (m, k, n) in [(1024, 1024, 1024), (256, 4096, 64)] {
            let a = filled(m, k, seed: 1), b = filled(k, n, seed: 2)
            var c = Matrix<Float>(rows: m, columns: n)
            let t = measure { Matrix.gemm(a, b, into: &c) }
            emit("sgemm \(m)x\(k)x\(n)", seconds: t, threads: threads, flops: 2 * Double(m * k * n))
        }
    }
    NumericsBackend.setBLASThreads(1)

    let logits = filled(4096, 256, seed: 3).map { $0 * 10 }
    var sm = logits
    emit("softmax rows 4096x256", seconds: measure { sm = logits; sm.formSoftmaxRows() }, threads: 1,
         items: Double(logits.count))

    let xs = filled(1024, 64, seed: 4), ys = filled(4096, 64, seed: 5)
    var dist = Matrix<Float>(rows: 0, columns: 0)
    emit("pairwise sqdist 1024x4096 d=64", seconds: measure { dist = xs.squaredDistances(to: ys) }, threads: 1,
         items: Double(1024 * 4096))

    let rng = CounterNormalRNG(seed: 7)
    var noise = Matrix<Float>(rows: 4096, columns: 256)
    var draw = 0
    emit("normals float32 1M", seconds: measure { rng.fill(&noise, firstSample: 0, draw: draw); draw += 1 }, threads: 1,
         items: Double(noise.count))
    _ = (sm.count, dist.count, noise.count)
}
