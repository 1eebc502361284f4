// The umbrella module: `import ScoreKit` brings every layer.
@_exported import ScoreKitIO
@_exported import ScoreKitNumerics
@_exported import ScoreKitDiffusion
@_exported import ScoreKitDenoisers
@_exported import ScoreKitSamplers
@_exported import ScoreKitNN
@_exported import ScoreKitMetrics
@_exported import ScoreKitAnalysis
@_exported import ScoreKitTraining
@_exported import ScoreKitExperiments

public enum ScoreKitVersion {
    public static let string = "0.1.0"
}
