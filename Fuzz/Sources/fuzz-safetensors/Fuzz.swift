import Foundation
import FuzzSupport
@testable import ScoreKitIO

/// safetensors (`Safetensors.decode`): header length, JSON header, dtypes, shapes and
/// `data_offsets`. A file that reads must write back (canonical order) and read again to the
/// same tensors.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    guard let contents = try? Safetensors.decode(data, path: "fuzz.safetensors", limits: FuzzInput.limits) else {
        return 0
    }
    let encoded: Data
    do {
        encoded = try Safetensors.encode(contents.tensors, metadata: contents.metadata)
    } catch {
        FuzzInput.require(false, "a read file does not write: \(error)")
        return 0
    }
    let again = try? Safetensors.decode(encoded, path: "fuzz.safetensors", limits: FuzzInput.limits)
    let reencoded = again.flatMap { try? Safetensors.encode($0.tensors, metadata: $0.metadata) }
    FuzzInput.require(reencoded == encoded, "safetensors write→read is not the identity")
    return 0
}
