@_exported import ScoreKitNumerics
