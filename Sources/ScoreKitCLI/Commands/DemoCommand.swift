import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit demo`: the main job on the bundled digits data.
///
/// For now it loads the digits, summarises them and writes an image grid; training a small
/// denoiser and sampling from it replace this once the training layer lands.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the main job on the bundled digits data.")

    @Option(help: "Output folder.")
    var out: String = "out/demo"

    func run() throws {
        print("ScoreKit \(ScoreKitVersion.string): BLAS \(NumericsBackend.blasCore), kernels \(NumericsBackend.kernelISA)")
        let digits = try Digits<Float>.load()
        let x = digits.images
        print("digits: \(x.rows) images of \(Digits<Float>.side)×\(Digits<Float>.side) pixels scaled to [-1, 1]")
        var counts = [Int](repeating: 0, count: 10)
        for label in digits.labels where (0..<10).contains(label) { counts[label] += 1 }
        print("labels 0–9: " + counts.map(String.init).joined(separator: " "))
        print(String(format: "pixel mean %.4f, min %.1f, max %.1f", Double(x.mean()),
                     Double(x.scalars.min() ?? 0), Double(x.scalars.max() ?? 0)))
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = x.rows(0..<min(100, x.rows))
        let png = folder.appendingPathComponent("digits.png")
        try PNG.writeGrid(first, imageHeight: 8, imageWidth: 8, columns: 10, padding: 1, to: png)
        print("wrote \(png.path) (the first \(first.rows) digits)")
    }
}
