import ArgumentParser
import ScoreKit

/// `scorekit`: the command-line interface (DESIGN.md, "Command line").
public struct ScoreKitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scorekit",
        abstract: "Score-based diffusion models: schedules, exact denoisers, samplers, training and analysis.",
        version: ScoreKitVersion.string,
        subcommands: [
            InfoCommand.self, ScheduleCommand.self, DenoiseCommand.self, FitGMMCommand.self, SampleCommand.self,
            TrainCommand.self, TrainClassifierCommand.self, EvalCommand.self, AnalyzeCommand.self, ReproduceCommand.self, DemoCommand.self,
        ])

    public init() {}
}
