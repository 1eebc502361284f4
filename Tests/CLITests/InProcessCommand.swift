@testable import ScoreKitCLI

/// Runs the command line in-process, as `scorekit ARGS` would.
func run(_ args: [String]) throws {
    var command = try ScoreKitCommand.parseAsRoot(args)
    try command.run()
}
