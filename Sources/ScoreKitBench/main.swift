import Foundation
import ScoreKit

// `make bench`: times ScoreKit's kernels and prints one JSON object per benchmark on stdout;
// scripts/bench.py times numpy on the same shapes in the same run and prints the ratios.

/// Median wall time of `body` over `repeats` timed batches, each long enough to time reliably.
func measure(repeats: Int = 7, _ body: () -> Void) -> Double {
    body()  // warm-up
    var reps = 1
    while true {  // grow the batch until it takes ≥ 50 ms
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<reps { body() }
        let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
        if dt >= 0.05 || reps >= 1 << 16 { break }
        reps *= 2
    }
    var times = [Double]()
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<reps { body() }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9 / Double(reps))
    }
    return times.sorted()[repeats / 2]
}

func emit(_ name: String, seconds: Double, threads: Int, flops: Double? = nil, items: Double? = nil) {
    var obj: [String: Any] = ["name": name, "seconds": seconds, "threads": threads]
    if let flops { obj["gflops"] = flops / seconds * 1e-9 }
    if let items { obj["mitems_per_s"] = items / seconds * 1e-6 }
    if let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]),
       let line = String(data: data, encoding: .utf8) {
        print(line)
    }
}

func filled(_ rows: Int, _ cols: Int, seed: Int) -> Matrix<Float> {
    Matrix(rows: rows, columns: cols) { i, j in Float(((i &* 7919 &+ j &* 104_729 &+ seed) % 2001) - 1000) / 1000 }
}

let info: [String: Any] = [
    "blas_core": NumericsBackend.blasCore, "kernels": NumericsBackend.kernelISA,
    "OPENBLAS_CORETYPE": ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset",
]
if let d = try? JSONSerialization.data(withJSONObject: ["info": info], options: [.sortedKeys]),
   let s = String(data: d, encoding: .utf8) { print(s) }

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
