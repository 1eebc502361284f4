import Foundation
import FuzzSupport
@testable import ScoreKitIO

/// `.npz` archives (`NPZ.decode`, hence `ZipReader` and `Deflate`): central directory, ZIP64
/// records, local headers, stored and deflated members, CRCs and the inflated-size limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    guard let arrays = try? NPZ.decode(data, path: "fuzz.npz", limits: FuzzInput.limits) else { return 0 }
    let total = arrays.reduce(0) { $0 + $1.array.count * $1.array.dtype.itemSize }
    FuzzInput.require(total <= FuzzInput.limits.maxBytes, "npz inflated to \(total) bytes, past the limit")
    return 0
}
