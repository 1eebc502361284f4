@_exported import ScoreKitSamplers
@_exported import ScoreKitDenoisers
@_exported import ScoreKitMetrics
