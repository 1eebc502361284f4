@_exported import ScoreKitSamplers
@_exported import ScoreKitMetrics
