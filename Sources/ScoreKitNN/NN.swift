// ScoreKitNN: network layers with hand-written backward passes (swift-numerics.md §6 explains why
// not Swift AD), state dicts named like PyTorch's, optimizers with PyTorch's update rules,
// learning-rate schedules and EMA. Everything is a value type generic over Float and Double.
@_exported import ScoreKitNumerics
