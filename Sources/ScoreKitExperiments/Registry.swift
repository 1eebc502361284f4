/// Every reproduced claim, in report order. Add an experiment here to make it available to
/// `scorekit reproduce`.
public enum ExperimentRegistry {
    public static let all: [any Experiment] = [
        K1ExactFieldEquilibria(), K2HorizonAndLevels(), K3GaussianData(), K4TrainedMultiplicative(), K5DigitsEquilibria(),
        C1QuasiLinearTrajectories(), C2DenoisingTrajectoryJump(), C3SecondOrderFiniteDifferences(),
        C4MeanShiftMonotoneLikelihood(), C5ScoreDeviation(), C6GITSSchedule(),
        T1TrainingDynamics(), T2ScheduleCrossover(), T3BoundSanity(),
        W1TeleportationExactness(), W2GaussianDominance(), W3LearningDynamics(), W4Teleportation(),
        W5CoarseToFine(), W6Sensitivity(),
    ]

    public static func experiment(_ id: String) throws -> any Experiment {
        guard let e = all.first(where: { $0.id.lowercased() == id.lowercased() }) else {
            throw ExperimentError.unknownClaim(id, known: all.map(\.id))
        }
        return e
    }
}
