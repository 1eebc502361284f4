import Foundation
import Testing

/// Inputs kept for regression tests in `Fixtures/regression/`: crash inputs found by the fuzz
/// targets (Fuzz/) and hand-made archives; `make_zip64.py` there documents the generated ones.
enum RegressionFixture {
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/regression"),
                               "missing fixture regression/\(name)")
        return try Data(contentsOf: url)
    }
}
