import Foundation
import ScoreKit

/// A sampling problem: training points (for the empirical denoiser), a Gaussian mixture (for the
/// exact gmm denoiser) and the standard-normal start noise of the batch.
struct SamplingProblem<S: MatrixScalar> {
    let name: String
    let training: Matrix<S>
    let mixtureWeights: [S]
    let mixtureMeans: Matrix<S>
    let mixtureCovariances: [Matrix<S>]
    let startNoise: Matrix<S>
    let repeats: Int

    /// ring8 as in the parity oracles: 8 Gaussians (radius 2, std 0.1), 512 training points;
    /// the gmm denoiser is the mixture itself.
    static func ring8(batch: Int) throws -> Self {
        let ring = try IsotropicMixture<S>.ring()
        let d = ring.dimension
        let covariances = ring.standardDeviations.map { s in Matrix<S>(rows: d, columns: d) { i, j in i == j ? s * s : 0 } }
        return Self(name: "ring8", training: ring.sample(count: 512, seed: 0).points, mixtureWeights: ring.weights,
                    mixtureMeans: ring.means, mixtureCovariances: covariances,
                    startNoise: CounterNormalRNG(seed: 21).normals(rows: batch, columns: d, draw: 0), repeats: 3)
    }

    /// The 1,797 digits; the gmm denoiser is one Gaussian per digit class (class frequency, mean and
    /// 1/n covariance), a 10-component mixture fitted in closed form.
    static func digits(_ images: Matrix<S>, labels: [Int], batch: Int) -> Self {
        let d = images.columns
        var weights = [S](), means = [[S]](), covariances = [Matrix<S>]()
        for label in Set(labels).sorted() {
            let rows = labels.indices.filter { labels[$0] == label }
            let members = Matrix<S>(rows: rows.count, columns: d) { i, j in images[rows[i], j] }
            let mean = members.columnMeans()
            let centred = members.addingToRows(mean.map { -$0 })
            weights.append(S(rows.count) / S(labels.count))
            means.append(mean)
            covariances.append(Matrix.product(centred, transposeA: true, centred) / S(rows.count))
        }
        return Self(name: "digits", training: images, mixtureWeights: weights, mixtureMeans: Matrix(rowArrays: means),
                    mixtureCovariances: covariances,
                    startNoise: CounterNormalRNG(seed: 22).normals(rows: batch, columns: d, draw: 0), repeats: 3)
    }

    /// Writes the problem (as float64 .npy files) for scripts/bench_samplers.py, so both sides
    /// sample from the same data and start noise.
    func write(to directory: URL) throws {
        func save(_ m: Matrix<S>, _ suffix: String) throws {
            try NPY.write(m.converted(to: Double.self), to: directory.appendingPathComponent("\(name)_\(suffix).npy"))
        }
        try save(training, "X")
        try save(startNoise, "Z")
        try save(Matrix(row: mixtureWeights), "gmm_weights")
        try save(mixtureMeans, "gmm_means")
        let d = mixtureMeans.columns
        try save(Matrix(rows: mixtureCovariances.count * d, columns: d, scalars: mixtureCovariances.flatMap(\.scalars)),
                 "gmm_covs")
    }
}

extension Matrix {
    /// The same entries in another precision.
    func converted<T: MatrixScalar>(to _: T.Type) -> Matrix<T> {
        Matrix<T>(rows: rows, columns: columns, scalars: scalars.map { T(Double($0)) })
    }
}

/// `heun`, `dpmpp_2m` and `unipc`, 25 Karras steps (σ 0.002…80, ρ = 7), with the empirical and
/// gmm denoisers on `problem`: BLAS on 1 thread and the empirical denoiser's own two-way split
/// (`.automatic`), i.e. both cores through one threading layer. With `outputs`, the Double
/// results are written there for bench_samplers.py to compare against k-diffusion's.
func benchSamplers<S: MatrixScalar>(_ problem: SamplingProblem<S>, outputs: URL?) throws {
    NumericsBackend.setBLASThreads(1)
    let sigmas = try Schedule<S>.karras(steps: 25, sigmaMin: 0.002, sigmaMax: 80).sigmas
    let x0 = problem.startNoise * sigmas[0]
    let empirical = try EmpiricalDenoiser(data: problem.training)
    let gmm = try GaussianMixtureDenoiser(weights: problem.mixtureWeights, means: problem.mixtureMeans,
                                          covariances: problem.mixtureCovariances)
    for samplerName in ["heun", "dpmpp_2m", "unipc"] {
        guard let sampler = SamplerName(rawValue: samplerName) else { continue }
        try run(sampler, SamplingModel(empirical), "empirical")
        try run(sampler, SamplingModel(gmm), "gmm")
    }

    func run<D: Denoiser>(_ sampler: SamplerName, _ model: SamplingModel<D>, _ denoiserName: String) throws
        where D.Scalar == S {
        let name = "sample \(problem.name) \(denoiserName) \(sampler.rawValue) \(S.precisionName)"
        guard selected(name) else { return }
        var noise = NoNoise<S>()
        var out = Matrix<S>(rows: 0, columns: 0)
        var evaluations: Int?  // model evaluations of one run (counted on the warm-up run)
        let t = try measure(repeats: problem.repeats, budget: 3) {
            out = try sampler.sample(model, from: x0, sigmas: sigmas, noise: &noise)
            if evaluations == nil { evaluations = model.nfe }
        }
        let key = "\(problem.name)_\(denoiserName)_\(sampler.rawValue)"
        if let outputs, S.self == Double.self {
            try NPY.write(out.converted(to: Double.self), to: outputs.appendingPathComponent("out_\(key).npy"))
        }
        emit(name, group: "sampler", seconds: t, threads: 2,
             extra: ["dataset": problem.name, "denoiser": denoiserName, "sampler": sampler.rawValue,
                     "dtype": S.precisionName, "B": x0.rows, "d": x0.columns, "steps": 25, "key": key,
                     "nfe": evaluations ?? 0])
    }
}
