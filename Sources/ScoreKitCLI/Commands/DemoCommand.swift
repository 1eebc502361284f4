import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit demo`: the main job on the bundled data.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the main job on the bundled digits data.")

    func run() throws {
        print("ScoreKit \(ScoreKitVersion.string): BLAS \(NumericsBackend.blasCore), kernels \(NumericsBackend.kernelISA)")
    }
}
