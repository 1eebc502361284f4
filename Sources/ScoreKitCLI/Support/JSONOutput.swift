import Foundation

/// Prints one JSON object on one line of standard output (the machine-readable result of a
/// command; progress and messages go to standard error). Keys are sorted for stable output.
func printJSONLine(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    guard let line = String(data: data, encoding: .utf8) else { throw CLIError("could not encode the result as JSON") }
    print(line)
}
