import Foundation
import Testing
@testable import ScoreKitDiffusion

/// The exact denoiser of isotropic Gaussian data N(0, s² I): D(x; σ) = s²/(s² + σ²) x.
struct GaussianDenoiser: Denoiser {
    let variance: Double
    let dimension: Int
    func denoise(_ x: Matrix<Double>, sigma: Double) throws -> Matrix<Double> {
        variance / (variance + sigma * sigma) * x
    }
}

/// A "network" that outputs exactly what the preconditioning needs for Gaussian data, recovering
/// σ from its noise label in the way each preconditioning defines the label.
struct OracleNetwork: NoiseConditionalNetwork {
    let data: GaussianDenoiser
    let preconditioning: Preconditioning
    let sigmaFromLabel: @Sendable (Double) -> Double
    var dimension: Int { data.dimension }

    func callAsFunction(_ input: Matrix<Double>, noiseLabel: Double) throws -> Matrix<Double> {
        let sigma = sigmaFromLabel(noiseLabel)
        let c: PreconditioningCoefficients<Double> = preconditioning.coefficients(sigma: sigma)
        let x = input / c.cIn
        return (try data.denoise(x, sigma: sigma)).linearCombination(1 / c.cOut, -c.cSkip / c.cOut, x)
    }
}

@Suite struct PreconditioningTests {
    static let sigmas = [0.002, 0.05, 0.3, 1, 4, 80]

    @Test func predictionTargetsConvertBothWays() throws {
        var rng = TestNormals(state: 11)
        let x0 = rng.matrix(rows: 6, columns: 4), eps = rng.matrix(rows: 6, columns: 4)
        let model = GaussianDenoiser(variance: 0.7, dimension: 4)
        for sigma in Self.sigmas {
            let x = VENoise.perturb(x0, sigma: sigma, noise: eps)
            let d = try model.denoise(x, sigma: sigma)
            for target in PredictionTarget.allCases {
                let out = target.output(fromDenoised: d, x: x, sigma: sigma)
                #expect(maxDifference(target.denoised(from: out, x: x, sigma: sigma), d) < 1e-12 * (1 + sigma))
            }
            // The Denoiser contract's own score and ε.
            #expect(maxDifference(PredictionTarget.score.output(fromDenoised: d, x: x, sigma: sigma),
                                  try model.score(x, sigma: sigma)) < 1e-9)
            #expect(maxDifference(PredictionTarget.epsilon.output(fromDenoised: d, x: x, sigma: sigma),
                                  try model.epsilon(x, sigma: sigma)) < 1e-12)
            // With the true x₀ as the estimate, the targets are the definitions: ε and v = α ε − σ_vp x₀.
            #expect(maxDifference(PredictionTarget.epsilon.output(fromDenoised: x0, x: x, sigma: sigma), eps) < 1e-9)
            let level = VPNoiseLevel<Double>(veSigma: sigma)
            let v = x0.linearCombination(-level.sigma, level.alpha, eps)
            #expect(maxDifference(PredictionTarget.velocity.output(fromDenoised: x0, x: x, sigma: sigma), v) < 1e-9)
        }
    }

    @Test func edmCoefficientsAtTheirReferencePoint() {
        // σ = σ_d: c_skip = ½, c_out = σ_d/√2, c_in = 1/(σ_d √2), c_noise = ¼ ln σ_d.
        let c: PreconditioningCoefficients<Double> = Preconditioning.edmDefault.coefficients(sigma: 0.5)
        #expect(Swift.abs(c.cSkip - 0.5) < 1e-15)
        #expect(Swift.abs(c.cOut - 0.5 / 2.0.squareRoot()) < 1e-15)
        #expect(Swift.abs(c.cIn - 1 / (0.5 * 2.0.squareRoot())) < 1e-15)
        #expect(Swift.abs(c.cNoise - Double.log(0.5) / 4) < 1e-15)
        let f: PreconditioningCoefficients<Float> = Preconditioning.edm(sigmaData: 0.5).coefficients(sigma: Float(0.5))
        #expect(Swift.abs(f.cSkip - 0.5) < 1e-6)
    }

    @Test func edmMakesInputAndTargetUnitVariance() {
        // Data of standard deviation σ_d: Var(c_in x) = c_in² (σ_d² + σ²) and the target
        // ((1 − c_skip) x₀ − c_skip σ n)/c_out has variance ((1 − c_skip)² σ_d² + c_skip² σ²)/c_out².
        for sd in [0.5, 1.0, 0.25] {
            let p = Preconditioning.edm(sigmaData: sd)
            for sigma in Self.sigmas {
                let c: PreconditioningCoefficients<Double> = p.coefficients(sigma: sigma)
                #expect(Swift.abs(c.cIn * c.cIn * (sd * sd + sigma * sigma) - 1) < 1e-12)
                let skip = 1 - c.cSkip
                #expect(Swift.abs((skip * skip * sd * sd + c.cSkip * c.cSkip * sigma * sigma) / (c.cOut * c.cOut) - 1) < 1e-9)
                // EDM's λ(σ) = (σ² + σ_d²)/(σ σ_d)² (papers.md §0.3).
                let lambda = (sigma * sigma + sd * sd) / (sigma * sd * sigma * sd)
                #expect(Swift.abs(p.lossWeight(sigma: sigma) / lambda - 1) < 1e-12)
            }
        }
    }

    @Test func edmTrainingTargetHasUnitVarianceByMonteCarlo() throws {
        var rng = TestNormals(state: 3)
        let sd = 0.5, n = 20_000
        let x0 = sd * rng.matrix(rows: n, columns: 1), noise = rng.matrix(rows: n, columns: 1)
        let p = Preconditioning.edm(sigmaData: sd)
        let data = GaussianDenoiser(variance: sd * sd, dimension: 1)
        for sigma in [0.05, 0.5, 5.0] {
            let x = VENoise.perturb(x0, sigma: sigma, noise: noise)
            let target = p.trainingTarget(x0: x0, x: x, sigma: sigma)
            let input: Matrix<Double> = p.coefficients(sigma: sigma).cIn * x
            #expect(Swift.abs(target.rowSquaredNorms().reduce(0, +) / Double(n) - 1) < 0.04)
            #expect(Swift.abs(input.rowSquaredNorms().reduce(0, +) / Double(n) - 1) < 0.04)
            // The optimal output E[target | x] = (D − c_skip x)/c_out: for Gaussian data with
            // s = σ_d, c_skip x is already the Wiener filter, so the optimal F is 0 (variance ≤ 1).
            let c: PreconditioningCoefficients<Double> = p.coefficients(sigma: sigma)
            let optimal = (try data.denoise(x, sigma: sigma)).linearCombination(1 / c.cOut, -c.cSkip / c.cOut, x)
            #expect(optimal.maxAbs() < 1e-12)
        }
    }

    @Test func trainingTargetsInvertTheDenoiserForm() {
        var rng = TestNormals(state: 5)
        let x0 = rng.matrix(rows: 4, columns: 3), eps = rng.matrix(rows: 4, columns: 3)
        let all: [Preconditioning] = [.edmDefault, .vpDefault, .ve, .epsilon, .velocity(sigmaData: 1)]
        for p in all {
            for sigma in Self.sigmas {
                let x = VENoise.perturb(x0, sigma: sigma, noise: eps)
                let f = p.trainingTarget(x0: x0, x: x, sigma: sigma)
                #expect(maxDifference(p.denoised(x: x, networkOutput: f, sigma: sigma), x0) < 1e-9 * (1 + sigma), "\(p) σ=\(sigma)")
            }
        }
    }

    @Test func tableOneScalings() throws {
        let vp = try VPProcess<Double>()
        for t in [1e-3, 0.2, 0.7, 1] {
            let sigma = vp.veSigma(t)
            let c: PreconditioningCoefficients<Double> = Preconditioning.vpDefault.coefficients(sigma: sigma)
            #expect(Swift.abs(c.cNoise - 999 * t) < 1e-9)
            #expect(c.cSkip == 1 && c.cOut == -sigma && Swift.abs(c.cIn - vp.alpha(t)) < 1e-14)
        }
        let ve: PreconditioningCoefficients<Double> = Preconditioning.ve.coefficients(sigma: 4)
        #expect(ve.cSkip == 1 && ve.cOut == 4 && ve.cIn == 1 && Swift.abs(ve.cNoise - Double.log(2)) < 1e-15)
        // ε- and v-preconditionings are the prediction targets.
        var rng = TestNormals(state: 9)
        let x = rng.matrix(rows: 3, columns: 2), f = rng.matrix(rows: 3, columns: 2)
        for sigma in Self.sigmas {
            #expect(maxDifference(Preconditioning.epsilon.denoised(x: x, networkOutput: f, sigma: sigma),
                                  PredictionTarget.epsilon.denoised(from: f, x: x, sigma: sigma)) < 1e-12)
            #expect(maxDifference(Preconditioning.velocity(sigmaData: 1).denoised(x: x, networkOutput: f, sigma: sigma),
                                  PredictionTarget.velocity.denoised(from: f, x: x, sigma: sigma)) < 1e-12)
        }
    }

    @Test func preconditionedNetworksBecomeExactDenoisers() throws {
        var rng = TestNormals(state: 13)
        let data = GaussianDenoiser(variance: 2.0, dimension: 3)
        let vp = try VPProcess<Double>()
        let cases: [(Preconditioning, @Sendable (Double) -> Double)] = [
            (.edmDefault, { Double.exp(4 * $0) }),
            (.epsilon, { Double.exp(4 * $0) }),
            (.velocity(sigmaData: 1), { Double.exp(4 * $0) }),
            (.ve, { 2 * Double.exp($0) }),
            (.vpDefault, { vp.veSigma($0 / 999) }),
        ]
        let x = 3 * rng.matrix(rows: 5, columns: 3)
        for (p, sigmaFromLabel) in cases {
            let network = OracleNetwork(data: data, preconditioning: p, sigmaFromLabel: sigmaFromLabel)
            let denoiser = try PreconditionedDenoiser(network: network, preconditioning: p)
            #expect(denoiser.dimension == 3)
            for sigma in [0.01, 0.7, 20.0] {
                let d = try denoiser.denoise(x, sigma: sigma)
                #expect(maxDifference(d, try data.denoise(x, sigma: sigma)) < 1e-9, "\(p) σ=\(sigma)")
            }
        }
    }

    @Test func invalidPreconditioningsAreRejected() {
        let network = OracleNetwork(data: GaussianDenoiser(variance: 1, dimension: 1), preconditioning: .ve,
                                    sigmaFromLabel: { $0 })
        for p: Preconditioning in [.edm(sigmaData: 0), .velocity(sigmaData: .nan),
                                   .vp(betaD: -1, betaMin: 0.1, trainingSteps: 1000),
                                   .vp(betaD: 19.9, betaMin: 0.1, trainingSteps: 0)] {
            #expect(throws: ScheduleError.self) { try PreconditionedDenoiser(network: network, preconditioning: p) }
        }
    }

    @Test func preconditioningsRoundTripThroughJSON() throws {
        for p: Preconditioning in [.edmDefault, .vpDefault, .ve, .epsilon, .velocity(sigmaData: 0.5)] {
            #expect(try JSONDecoder().decode(Preconditioning.self, from: JSONEncoder().encode(p)) == p)
        }
    }
}

/// f(x) = −k x, an unconditioned field.
struct LinearField: UnconditionedField {
    let k: Double
    let dimension: Int
    func callAsFunction(_ x: Matrix<Double>) throws -> Matrix<Double> { -k * x }
}

@Suite struct MultiplicativeConditioningTests {
    @Test func denoiserFormOfAnUnconditionedField() throws {
        var rng = TestNormals(state: 17)
        let x = rng.matrix(rows: 4, columns: 2)
        let model = MultiplicativeNoiseConditioning(field: LinearField(k: 0.3, dimension: 2))
        #expect(model.dimension == 2)
        for sigma in [0.01, 1, 30.0] {
            // D = x + σ f(x); score (D − x)/σ² = f(x)/σ; PF-ODE slope (x − D)/σ = −f(x) for every σ.
            #expect(maxDifference(try model.denoise(x, sigma: sigma), (1 - 0.3 * sigma) * x) < 1e-12)
            #expect(maxDifference(try model.score(x, sigma: sigma), (-0.3 / sigma) * x) < 1e-9)
            #expect(maxDifference(try model.epsilon(x, sigma: sigma), 0.3 * x) < 1e-9)
        }
    }

    @Test func theOneLevelOptimalFieldIsExactAtItsLevel() throws {
        // Gaussian data N(0, s²) and a single training level σ₀: f*(y) = σ₀ ∇log p_σ₀(y)
        // = −σ₀ y/(s² + σ₀²) (papers.md §1.2 with one level). Its denoiser is exact at σ₀ only.
        let s2 = 1.5, sigma0 = 0.8
        let field = LinearField(k: sigma0 / (s2 + sigma0 * sigma0), dimension: 3)
        let model = MultiplicativeNoiseConditioning(field: field)
        let data = GaussianDenoiser(variance: s2, dimension: 3)
        var rng = TestNormals(state: 19)
        let x = rng.matrix(rows: 6, columns: 3)
        #expect(maxDifference(try model.denoise(x, sigma: sigma0), try data.denoise(x, sigma: sigma0)) < 1e-12)
        #expect(maxDifference(try model.denoise(x, sigma: 3), try data.denoise(x, sigma: 3)) > 0.1)
    }
}
