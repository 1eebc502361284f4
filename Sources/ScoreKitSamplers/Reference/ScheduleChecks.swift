/// Input checks of the reference solvers and SDE samplers, so bad input is a typed error.
enum ScheduleChecks {
    /// A k-diffusion schedule (`validateKDiffusionSchedule`) and a B × d state of the denoiser's
    /// dimension with finite values.
    static func zeroTerminated<Scalar: MatrixScalar>(_ sigmas: [Scalar], state x: Matrix<Scalar>, dimension: Int) throws {
        try validateKDiffusionSchedule(sigmas)
        try state(x, dimension: dimension)
    }

    /// NCSN's noise levels: non-empty, finite, positive and non-increasing (no trailing 0).
    static func noiseLevels<Scalar: MatrixScalar>(_ sigmas: [Scalar], state x: Matrix<Scalar>, dimension: Int) throws {
        guard !sigmas.isEmpty else { throw SamplingError.invalidSchedule("no noise levels") }
        guard sigmas.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw SamplingError.invalidSchedule("noise levels must be finite and positive (annealed Langevin takes no trailing 0)")
        }
        guard zip(sigmas, sigmas.dropFirst()).allSatisfy({ $0 >= $1 }) else {
            throw SamplingError.invalidSchedule("noise levels must be non-increasing")
        }
        try state(x, dimension: dimension)
    }

    static func state<Scalar: MatrixScalar>(_ x: Matrix<Scalar>, dimension: Int) throws {
        guard x.rows > 0, x.columns == dimension else {
            throw SamplingError.invalidOption("the start state is \(x.rows)×\(x.columns); the denoiser needs B × \(dimension) with B ≥ 1")
        }
        guard x.isFinite else { throw SamplingError.invalidOption("the start state holds NaN or ±∞") }
    }
}
