import Foundation
import ScoreKitNumerics

/// An n-dimensional array as the file formats hold it: a shape and C-order (row-major) elements
/// of one `DType`. Zero dimensions (a scalar), one, two and more (trajectories are T × B × d) are
/// all allowed. Convert to a `Matrix` for computing (see `NDArray+Matrix.swift`).
public struct NDArray: Sendable, Equatable {
    /// The elements in C order, in their stored type.
    public enum Storage: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case int32([Int32])
        case int64([Int64])
        case uint8([UInt8])
    }

    public let shape: [Int]
    public let storage: Storage

    /// An array over existing C-order elements. Traps unless every dimension is non-negative and
    /// the element count is the product of the shape (1 for the empty shape), as `Matrix` does;
    /// readers validate untrusted shapes before they get here.
    public init(shape: [Int], storage: Storage) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == storage.count, "\(storage.count) elements do not fill shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    public var dtype: DType { storage.dtype }
    /// Number of elements (1 for a 0-dimensional array).
    public var count: Int { storage.count }

    /// The elements in C order converted to `Float` or `Double`, whatever the stored type
    /// (integers convert exactly where the target can hold them, else to the nearest value).
    public func scalars<S: MatrixScalar>(as type: S.Type = S.self) -> [S] {
        switch storage {
        case .float32(let v): return v.map { S($0) }
        case .float64(let v): return v.map { S($0) }
        case .int32(let v): return v.map { S($0) }
        case .int64(let v): return v.map { S($0) }
        case .uint8(let v): return v.map { S($0) }
        }
    }
}

extension NDArray.Storage {
    public var dtype: DType {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        case .int32: return .int32
        case .int64: return .int64
        case .uint8: return .uint8
        }
    }

    public var count: Int {
        switch self {
        case .float32(let v): return v.count
        case .float64(let v): return v.count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        case .uint8(let v): return v.count
        }
    }

    /// `count` elements of `dtype` from `bytes` (at least `count · itemSize` long).
    static func decode(_ dtype: DType, from bytes: UnsafeRawBufferPointer, count: Int, bigEndian: Bool) -> Self {
        switch dtype {
        case .float32: return .float32(Float.decode(bytes, count: count, bigEndian: bigEndian))
        case .float64: return .float64(Double.decode(bytes, count: count, bigEndian: bigEndian))
        case .int32: return .int32(Int32.decode(bytes, count: count, bigEndian: bigEndian))
        case .int64: return .int64(Int64.decode(bytes, count: count, bigEndian: bigEndian))
        case .uint8: return .uint8(UInt8.decode(bytes, count: count, bigEndian: bigEndian))
        }
    }

    /// The elements as little-endian bytes appended to `data`.
    func appendLittleEndian(to data: inout Data) {
        switch self {
        case .float32(let v): Float.appendLittleEndian(v, to: &data)
        case .float64(let v): Double.appendLittleEndian(v, to: &data)
        case .int32(let v): Int32.appendLittleEndian(v, to: &data)
        case .int64(let v): Int64.appendLittleEndian(v, to: &data)
        case .uint8(let v): UInt8.appendLittleEndian(v, to: &data)
        }
    }

    /// The same elements, read as Fortran (column-major) order for `shape`, put in C order.
    func cOrder(fromFortranOrder shape: [Int]) -> Self {
        switch self {
        case .float32(let v): return .float32(reorderFortranToC(v, shape: shape))
        case .float64(let v): return .float64(reorderFortranToC(v, shape: shape))
        case .int32(let v): return .int32(reorderFortranToC(v, shape: shape))
        case .int64(let v): return .int64(reorderFortranToC(v, shape: shape))
        case .uint8(let v): return .uint8(reorderFortranToC(v, shape: shape))
        }
    }
}

/// Fortran-order elements of `shape` in C order. In Fortran order the first index varies fastest
/// (stride 1, then `shape[0]`, `shape[0]·shape[1]`, …); this walks the C-order index like an
/// odometer (last index fastest) and follows the Fortran offset along.
func reorderFortranToC<T>(_ values: [T], shape: [Int]) -> [T] {
    guard shape.count > 1, !values.isEmpty else { return values }
    var strides = [Int](repeating: 1, count: shape.count)
    for k in 1..<shape.count { strides[k] = strides[k - 1] * shape[k - 1] }
    var index = [Int](repeating: 0, count: shape.count)
    var offset = 0
    var out = [T]()
    out.reserveCapacity(values.count)
    for _ in 0..<values.count {
        out.append(values[offset])
        var k = shape.count - 1
        while k >= 0 {
            index[k] += 1
            offset += strides[k]
            if index[k] < shape[k] { break }
            offset -= strides[k] * shape[k]
            index[k] = 0
            k -= 1
        }
    }
    return out
}
