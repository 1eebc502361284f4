import Foundation
import FuzzSupport
import ScoreKitNumerics
@testable import ScoreKitTraining

/// ScoreKit's own `.safetensors` files as `scorekit sample --denoiser checkpoint` reads them
/// (`NetworkDenoiser.load(checkpoint:)`): a model file (`ModelFile`: JSON `model` and
/// `parameterization` metadata, `data_dimension`, `step`, `dtype`) or a checkpoint (`Checkpoint`:
/// JSON `config` and `data`, `step`, `dtype`), in Float for inputs of even length and Double for
/// odd. The container itself is `fuzz-safetensors`' job; here the untrusted part is the metadata
/// and whether the tensors fit it. A file that loads must denoise a batch (or throw a typed error),
/// and write → read → write must give the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    guard (try? data.write(to: ModelFileFuzz.input)) != nil else { fatalError("cannot write \(ModelFileFuzz.input.path)") }
    if count.isMultiple(of: 2) {
        ModelFileFuzz.check(as: Float.self)
    } else {
        ModelFileFuzz.check(as: Double.self)
    }
    return 0
}

enum ModelFileFuzz {
    /// Per-process scratch files (libFuzzer may run several workers).
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-modelfile-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
    static let input = folder.appendingPathComponent("input.safetensors")
    static let first = folder.appendingPathComponent("first.safetensors")
    static let second = folder.appendingPathComponent("second.safetensors")

    static func check<Scalar: MatrixScalar>(as _: Scalar.Type) {
        guard let denoiser = try? NetworkDenoiser<Scalar>.load(checkpoint: input) else { return }
        let x = Matrix<Scalar>(rows: 3, columns: denoiser.dimension) { i, j in Scalar(i) - Scalar(j) / 2 }
        _ = try? denoiser.denoise(x, sigma: 1)
        let format = (try? Safetensors.read(contentsOf: input))?.metadata["format"]
        if format == ModelFile<Scalar>.format {
            roundTrip(read: ModelFile<Scalar>.read(from:), write: { try $0.write(to: $1) })
        } else {
            roundTrip(read: Checkpoint<Scalar>.read(from:), write: { try $0.write(to: $1) })
        }
    }

    /// Reads `input`, writes it to `first`, reads that and writes it to `second`: the two writes
    /// must be byte-identical (bytes, not values, so that NaN weights compare equal).
    static func roundTrip<File>(read: (URL) throws -> File, write: (File, URL) throws -> Void) {
        do {
            try write(read(input), first)
            try write(read(first), second)
        } catch {
            FuzzInput.require(false, "a file that loads does not write and read back: \(error)")
        }
        FuzzInput.require((try? Data(contentsOf: first)) == (try? Data(contentsOf: second)), "write → read → write is not stable")
    }
}
