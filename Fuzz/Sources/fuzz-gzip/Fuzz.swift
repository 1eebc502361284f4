import Foundation
import FuzzSupport

/// gzip members (`Gzip.decompress`): header flags and optional fields, the deflate body, the
/// CRC-32 and ISIZE trailer. Output never exceeds the declared ISIZE, which the limit bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    guard let output = try? Gzip.decompress(data, path: "fuzz.gz", limits: FuzzInput.limits) else { return 0 }
    FuzzInput.require(output.count <= FuzzInput.limits.maxBytes, "gzip inflated past the limit")
    return 0
}
