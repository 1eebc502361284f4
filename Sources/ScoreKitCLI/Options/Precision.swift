import ArgumentParser
import ScoreKit

/// `--precision float32|float64`: which `MatrixScalar` a command computes in.
enum Precision: String, ExpressibleByArgument, CaseIterable, Codable {
    case float32, float64
}

/// A command whose work is generic over the scalar type, chosen at run time by `--precision`.
protocol PrecisionGeneric {
    var precision: Precision { get }
    func run<S: MatrixScalar>(as type: S.Type) throws
}

extension PrecisionGeneric {
    func runInChosenPrecision() throws {
        switch precision {
        case .float32: try run(as: Float.self)
        case .float64: try run(as: Double.self)
        }
    }
}
