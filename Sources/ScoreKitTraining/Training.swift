@_exported import ScoreKitNN
@_exported import ScoreKitDiffusion
@_exported import ScoreKitIO
