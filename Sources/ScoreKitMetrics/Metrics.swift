@_exported import ScoreKitNumerics

/// Sample-quality metrics: how far a generated sample is from a reference sample (or a known
/// density, or the training set). Every metric takes points as the rows of a matrix, is
/// generic over Float and Double, returns Double and throws `MetricsError` on bad input.
///
/// Pairwise metrics stream their distances in tiles (`PairwiseDistanceSweep`): memory stays
/// O(n + m) and large inputs use every core.
public enum Metrics {}
