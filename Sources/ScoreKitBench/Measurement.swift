import Foundation

/// Median wall time of `body` over `repeats` timed batches, each long enough (≥ 50 ms) to time
/// reliably; a warm-up call comes first. With a `budget` (seconds), a slow body gets fewer
/// repeats (at least 1), so that `make bench` stays short on a busy machine.
func measure(repeats requested: Int = 7, budget: Double? = nil, _ body: () throws -> Void) rethrows -> Double {
    if runOnce { return try timed(body) }
    let warmUp = try timed(body)
    let repeats = budget.map { max(1, min(requested, Int($0 / warmUp))) } ?? requested
    var reps = 1
    var times = [Double]()
    while true {  // grow the batch until it takes ≥ 50 ms
        let dt = try timed { for _ in 0..<reps { try body() } }
        if dt >= 0.05 && reps == 1 { times.append(dt) }  // a long body: its first timing counts
        if dt >= 0.05 || reps >= 1 << 16 { break }
        reps *= 2
    }
    while times.count < repeats {
        times.append(try timed { for _ in 0..<reps { try body() } } / Double(reps))
    }
    return times.sorted()[repeats / 2]
}

/// Wall time of one call of `body`, in seconds.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
}

/// Whether the benchmark `name` runs (`--filter`).
func selected(_ name: String) -> Bool { nameFilter.map { name.contains($0) } ?? true }

/// Prints one benchmark as a JSON line: its group, name, thread setting, median seconds and
/// rates, plus any `extra` fields (shapes, GF/s of a reference GEMM, …) for scripts/bench.py.
func emit(_ name: String, group: String = "kernels", seconds: Double, threads: Int, flops: Double? = nil,
          items: Double? = nil, extra: [String: Any] = [:]) {
    var obj = extra
    obj["name"] = name
    obj["group"] = group
    obj["seconds"] = seconds
    obj["threads"] = threads
    if let flops { obj["gflops"] = flops / seconds * 1e-9 }
    if let items { obj["mitems_per_s"] = items / seconds * 1e-6 }
    printJSON(obj)
}

func printJSON(_ obj: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]),
       let line = String(data: data, encoding: .utf8) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))  // unbuffered: progress shows as it runs
    }
}
