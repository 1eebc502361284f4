@_exported import ScoreKitNN
@_exported import ScoreKitDiffusion
