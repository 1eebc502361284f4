import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit info FILE`: what an array file holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show shape, dtype and statistics of .npy, .npz or .safetensors arrays.")

    @Argument(help: "An .npy, .npz or .safetensors file.")
    var file: String

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        let summary = try FileSummary(contentsOf: URL(fileURLWithPath: file))
        if json {
            try printJSONLine([
                "file": file, "format": summary.format.rawValue, "metadata": summary.metadata,
                "arrays": summary.arrays.map { a -> [String: Any] in
                    ["name": a.name, "shape": a.shape, "dtype": a.dtype.rawValue, "nan_count": a.nanCount,
                     "min": a.minimum ?? NSNull(), "max": a.maximum ?? NSNull(), "mean": a.mean ?? NSNull()]
                },
            ])
            return
        }
        print("\(file): \(summary.format.rawValue), \(summary.arrays.count) array(s)")
        for (k, v) in summary.metadata.sorted(by: { $0.key < $1.key }) { print("  metadata \(k) = \(v)") }
        let rows = summary.arrays.map { a in
            [a.name, "(" + a.shape.map(String.init).joined(separator: ", ") + (a.shape.count == 1 ? ",)" : ")"),
             a.dtype.rawValue, format(a.minimum), format(a.maximum), format(a.mean), String(a.nanCount)]
        }
        printTable(header: ["name", "shape", "dtype", "min", "max", "mean", "NaN"], rows: rows)
    }

    private func format(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "-" }
}
