@_exported import ScoreKitNumerics
public enum Metrics {}
