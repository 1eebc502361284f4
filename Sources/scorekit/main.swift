import ScoreKitCLI

ScoreKitCommand.main()
