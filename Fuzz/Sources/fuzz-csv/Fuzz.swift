import Foundation
import FuzzSupport
@testable import ScoreKitIO
import ScoreKitNumerics

/// CSV text (`CSV.parse`) in both precisions, with and without a header row. The first byte
/// chooses the mode so that the corpus explores all four.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzInput.data(start, count)
    let hasHeader = data.first.map { $0 & 1 == 1 } ?? false
    if data.first.map({ $0 & 2 == 2 }) ?? false {
        check(try? CSV.parse(data, hasHeader: hasHeader, path: "fuzz.csv") as CSV.Table<Float>)
    } else {
        check(try? CSV.parse(data, hasHeader: hasHeader, path: "fuzz.csv") as CSV.Table<Double>)
    }
    return 0
}

/// A parsed table is a well-formed matrix whose header, if any, names every column.
private func check<S: MatrixScalar>(_ table: CSV.Table<S>?) {
    guard let table else { return }
    FuzzInput.require(table.matrix.scalars.count == table.matrix.rows * table.matrix.columns, "matrix size")
    if let header = table.header { FuzzInput.require(header.count == table.matrix.columns, "header width") }
}
