import ArgumentParser
import Foundation
import ScoreKit

/// `--data`: a data file or a bundled / synthetic set, loaded as an N × d matrix.
struct DataOptions: ParsableArguments {
    @Option(help: "Data: an .npy/.csv file (N × d), or a bundled set: digits, \(ToyDataset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var data: String?

    @Option(name: .customLong("data-count"), help: "Points to generate for a synthetic --data set.")
    var dataCount: Int = 2048

    @Option(name: .customLong("data-seed"), help: "Seed of a synthetic --data set.")
    var dataSeed: UInt64 = 0

    func validate() throws {
        guard dataCount > 0 else { throw ValidationError("--data-count must be positive") }
    }

    /// The data, checked to be nonempty and finite.
    func load<S: MatrixScalar>(as: S.Type) throws -> Matrix<S> {
        guard let data else { throw CLIError("--data is required here") }
        return try Self.load(data, count: dataCount, seed: dataSeed, as: S.self)
    }

    /// A data file or bundled/synthetic set by name (synthetic sets use `count` points from `seed`).
    static func load<S: MatrixScalar>(_ data: String, count dataCount: Int = 2048, seed dataSeed: UInt64 = 0,
                                      as: S.Type) throws -> Matrix<S> {
        let x: Matrix<S>
        if data == "digits" {
            x = try Digits<S>.load().images
        } else if let toy = ToyDataset(rawValue: data) {
            x = toy.sample(count: dataCount, seed: dataSeed, as: S.self)
        } else if data.hasSuffix(".csv") || data.hasSuffix(".csv.gz") {
            x = try CSV.read(contentsOf: URL(fileURLWithPath: data), as: S.self).matrix
        } else {
            x = try NPY.readMatrix(contentsOf: URL(fileURLWithPath: data), as: S.self)
        }
        guard x.rows > 0 && x.columns > 0 else { throw CLIError("\(data): the data set is empty") }
        guard x.isFinite else { throw CLIError("\(data): the data contains NaN or infinite values") }
        return x
    }
}
