import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit info FILE`: what an array file holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show shape, dtype and statistics of .npy, .npz or .safetensors arrays.")

    @Argument(help: "An .npy, .npz or .safetensors file.")
    var file: String

    func run() throws {
        throw CLIError("info: not available yet")
    }
}
