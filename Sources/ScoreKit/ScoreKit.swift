// The umbrella module: `import ScoreKit` brings every layer.
@_exported import ScoreKitIO
@_exported import ScoreKitNumerics

public enum ScoreKitVersion {
    public static let string = "0.1.0"
}
