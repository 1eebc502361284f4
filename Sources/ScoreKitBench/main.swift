import Foundation
import ScoreKit

// `make bench`: times ScoreKit and prints one JSON object per benchmark on stdout; scripts/bench.py
// times numpy (and k-diffusion on PyTorch, when installed) on the same problems in the same run
// and prints the ratios.
//
// Usage: ScoreKitBench [--data DIR] [--only kernels,denoiser,sampler,metrics,training] [--filter TEXT] [--once]
// With --data, the sampling problems and the float64 sampler outputs are written to DIR as .npy
// files, so the Python baselines use the same data and can check that they computed the same thing.
// --filter runs only the denoiser/sampler benchmarks whose name contains TEXT; --once runs each
// body once, untimed warm-up and repeats skipped (for profiling under valgrind --tool=callgrind).

let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
let dataDirectory = option("--data").map { URL(fileURLWithPath: $0, isDirectory: true) }
let nameFilter = option("--filter")
let runOnce = arguments.contains("--once")
let sections = Set((option("--only") ?? "kernels,denoiser,sampler").split(separator: ",").map(String.init))

printJSON(["info": [
    "blas_core": NumericsBackend.blasCore, "kernels": NumericsBackend.kernelISA,
    "OPENBLAS_CORETYPE": ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset",
]])

do {
    if sections.contains("kernels") { benchKernels() }
    if sections.contains("metrics") { try benchMetrics() }
    if sections.contains("denoiser") { try benchEmpiricalDenoiser(digits: try Digits<Float>.load().images) }
    if sections.contains("sampler") {
        if let dataDirectory { try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true) }
        func problems<S: MatrixScalar>(_: S.Type) throws -> [SamplingProblem<S>] {
            let digits = try Digits<S>.load()
            return [try .ring8(batch: 10_000), .digits(digits.images, labels: digits.labels, batch: 1024)]
        }
        for problem in try problems(Double.self) {
            if let dataDirectory { try problem.write(to: dataDirectory) }
            try benchSamplers(problem, outputs: dataDirectory)
        }
        for problem in try problems(Float.self) { try benchSamplers(problem, outputs: nil) }
    }
    if sections.contains("training") { try benchTraining(digits: try Digits<Float>.load().images) }
} catch {
    FileHandle.standardError.write(Data("ScoreKitBench: \(error)\n".utf8))
    exit(1)
}
