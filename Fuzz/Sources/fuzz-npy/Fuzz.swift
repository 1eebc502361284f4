import Foundation
import FuzzSupport
@testable import ScoreKitIO
import ScoreKitNumerics

/// `.npy` header and payload (`NPY.decode`): any input either fails with an `IOError` or gives an
/// array that `NPY.encode` writes and `NPY.decode` reads back to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    guard let array = try? NPY.decode(data, path: "fuzz.npy", limits: FuzzInput.limits) else { return 0 }
    let encoded = NPY.encode(array)
    let again = try? NPY.decode(encoded, path: "fuzz.npy", limits: FuzzInput.limits)
    FuzzInput.require(again.map(NPY.encode) == encoded, "npy write→read is not the identity for shape \(array.shape)")
    if array.shape.count <= 2 {
        _ = try? array.matrix() as Matrix<Float>
    }
    return 0
}
