import Foundation
import Testing
import ScoreKitDenoisers

@Suite("Gaussian denoiser")
struct GaussianTests {
    /// Σ = Q diag(spectrum) Qᵀ with a random orthonormal Q and one zero eigenvalue (rank-deficient, as digits).
    static let spectrum = [4.0, 2.5, 1.0, 0.3, 0.05, 0.0]
    static let basis: [[Double]] = { var g = SplitMix64(seed: 21); return Reference.randomOrthonormal(6, using: &g) }()
    static let covariance = Reference.fromEigen(basis, spectrum)
    static let mean = [0.5, -1.0, 2.0, 0.0, 3.0, -0.25]
    static let queries: [[Double]] = {
        var g = SplitMix64(seed: 22)
        return g.normalMatrix(7, 6, scale: 2).map { zip($0, mean).map(+) }
    }()

    func checkAgainstSolve<T: MatrixScalar>(_ model: GaussianDenoiser<T>, covariance: [[Double]], tolerance: Double) throws {
        for sigma in [0.1, 0.5, 2.0, 10.0] {
            let (denoised, logDensity) = try model.denoiseWithLogDensity(Matrix(Self.queries), sigma: T(sigma))
            #expect(maxDifference(try model.denoise(Matrix(Self.queries), sigma: T(sigma)).doubleRows, denoised.doubleRows) == 0)
            for (b, x) in Self.queries.enumerated() {
                let reference = Reference.gaussian(mean: Self.mean, covariance: covariance, x: x, sigma: sigma)
                #expect(maxDifference(denoised.doubleRows[b], reference.denoised) < tolerance)
                #expect(abs(Double(logDensity[b]) - reference.logDensity) < tolerance * max(1, abs(reference.logDensity)))
            }
        }
    }

    @Test func eigenRouteMatchesDirectSolve() throws {
        try checkAgainstSolve(GaussianDenoiser<Double>(mean: Self.mean, covariance: Matrix(Self.covariance)),
                              covariance: Self.covariance, tolerance: 1e-11)
        try checkAgainstSolve(GaussianDenoiser<Float>(mean: Self.mean.map { Float($0) }, covariance: Matrix(Self.covariance)),
                              covariance: Self.covariance, tolerance: 2e-4)
    }

    @Test func fitUsesTheOneOverNCovarianceAndShrinkage() throws {
        var g = SplitMix64(seed: 23)
        let data = g.normalMatrix(50, 4).map { row in row.enumerated().map { $0.element * Double($0.offset + 1) + 3 } }
        let n = Double(data.count)
        let mean = (0..<4).map { j in data.reduce(0) { $0 + $1[j] } / n }
        let covariance = (0..<4).map { i in (0..<4).map { j in data.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) } / n } }
        let model = try GaussianDenoiser<Double>(fitting: Matrix(data))
        #expect(maxDifference(model.mean, mean) < 1e-12)
        #expect(maxDifference(model.covariance.doubleRows, covariance) < 1e-11)
        let alpha = 0.3, target = (0..<4).reduce(0) { $0 + covariance[$1][$1] } / 4
        let shrunk = Reference.add(covariance.map { $0.map { (1 - alpha) * $0 } }, Reference.identity(4, scale: alpha * target))
        #expect(maxDifference(try GaussianDenoiser<Double>(fitting: Matrix(data), shrinkage: alpha).covariance.doubleRows, shrunk) < 1e-11)
        let single = try GaussianDenoiser<Float>(fitting: Matrix(data))
        #expect(maxDifference(single.covariance.doubleRows, covariance) < 1e-4)
    }

    @Test func lowRankKeepsTopEigenpairsAndAveragesTheRest() throws {
        let full = try GaussianDenoiser<Double>(mean: Self.mean, covariance: Matrix(Self.covariance))
        for k in 0...6 {
            let rho = k < 6 ? Self.spectrum[k...].reduce(0, +) / Double(6 - k) : 0
            let lambda = Self.spectrum.enumerated().map { $0.offset < k ? $0.element : rho }
            let model = try full.lowRank(k)
            #expect(model.rank == k)
            try checkAgainstSolve(model, covariance: Reference.fromEigen(Self.basis, lambda), tolerance: 1e-11)
        }
        let single = try GaussianDenoiser<Float>(mean: Self.mean.map { Float($0) }, covariance: Matrix(Self.covariance))
        let rho = Self.spectrum[2...].reduce(0, +) / 4
        try checkAgainstSolve(single.lowRank(2), covariance: Reference.fromEigen(Self.basis, [4, 2.5, rho, rho, rho, rho]),
                              tolerance: 2e-4)
    }

    @Test func lowRankWithFullRankEqualsFull() throws {
        let full = try GaussianDenoiser<Double>(mean: Self.mean, covariance: Matrix(Self.covariance))
        let same = try full.lowRank(6)
        let x = Matrix<Double>(Self.queries)
        for sigma in [0.05, 1.0, 30.0] {
            #expect(maxDifference(try same.denoise(x, sigma: sigma).doubleRows, try full.denoise(x, sigma: sigma).doubleRows) < 1e-14)
            #expect(maxDifference(try same.logDensity(x, sigma: sigma), try full.logDensity(x, sigma: sigma)) < 1e-12)
            #expect(maxDifference(try same.flow(x, from: sigma, to: 0.3).doubleRows, try full.flow(x, from: sigma, to: 0.3).doubleRows) < 1e-14)
        }
    }

    @Test func isotropicGaussian() throws {
        for variance in [0.0, 0.7] {
            let model = try GaussianDenoiser<Double>.isotropic(mean: Self.mean, variance: variance)
            for sigma in [0.2, 3.0] {
                let (denoised, logDensity) = try model.denoiseWithLogDensity(Matrix(Self.queries), sigma: sigma)
                let v = variance + sigma * sigma
                for (b, x) in Self.queries.enumerated() {
                    let expected = zip(x, Self.mean).map { $1 + variance / v * ($0 - $1) }
                    let quadratic = zip(x, Self.mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / v
                    #expect(maxDifference(denoised.doubleRows[b], expected) < 1e-13)
                    #expect(abs(logDensity[b] - (-0.5 * quadratic - 3 * Foundation.log(2 * Double.pi * v))) < 1e-11)
                }
            }
        }
    }

    /// RK4 on dx/d(ln σ) = x − D(x; σ) (the PF-ODE dx/dσ = (x − D)/σ in log time, where it is smooth).
    func integrate(_ model: GaussianDenoiser<Double>, _ x: Matrix<Double>, from s1: Double, to s2: Double, steps: Int) throws -> Matrix<Double> {
        let h = (Foundation.log(s2) - Foundation.log(s1)) / Double(steps)
        func f(_ x: Matrix<Double>, _ t: Double) throws -> Matrix<Double> { x - (try model.denoise(x, sigma: Foundation.exp(t))) }
        var x = x, t = Foundation.log(s1)
        for _ in 0..<steps {
            let k1 = try f(x, t)
            let k2 = try f(x.linearCombination(1, h / 2, k1), t + h / 2)
            let k3 = try f(x.linearCombination(1, h / 2, k2), t + h / 2)
            let k4 = try f(x.linearCombination(1, h, k3), t + h)
            x = x + (k1 + 2 * k2 + 2 * k3 + k4) * (h / 6)
            t += h
        }
        return x
    }

    @Test func closedFormFlowMatchesRK4() throws {
        let full = try GaussianDenoiser<Double>(mean: Self.mean, covariance: Matrix(Self.covariance))
        var g = SplitMix64(seed: 24)
        for model in [full, try full.lowRank(2), try .isotropic(mean: Self.mean, variance: 0.4)] {
            let start = Matrix<Double>(g.normalMatrix(5, 6, scale: 10)).addingToRows(Self.mean)
            for (s1, s2) in [(10.0, 0.05), (0.05, 10.0), (3.0, 1.0)] {
                let exact = try model.flow(start, from: s1, to: s2)
                let numerical = try integrate(model, start, from: s1, to: s2, steps: 1000)
                // Relative to the state's size: the upward runs grow x by up to σ₂/σ₁ = 200.
                #expect(maxDifference(exact.doubleRows, numerical.doubleRows) < 1e-9 * exact.maxAbs())
            }
        }
    }

    /// The oracles' k-diffusion-side `gaussian_closed` runs on ring8 (mean and 1/N covariance of X).
    @Test func ring8ClosedFormMatchesOracle() throws {
        let fixture = try Ring8Fixture.load(), c = fixture.closedForm
        let model = try GaussianDenoiser<Double>(fitting: Matrix(fixture.data))
        let start = Matrix<Double>(c.z) * c.sigmaMax
        #expect(maxDifference(try model.flow(start, from: c.sigmaMax, to: 0).doubleRows, c.flowToZero) < 1e-12)
        let end = try model.flow(start, from: c.sigmaMax, to: c.sigmaEnd)
        #expect(maxDifference(try model.denoise(end, sigma: c.sigmaEnd).doubleRows, c.flowThenDenoise) < 1e-12)
        let single = try GaussianDenoiser<Float>(fitting: Matrix(fixture.data))
        #expect(maxDifference(try single.flow(Matrix(c.z) * Float(c.sigmaMax), from: Float(c.sigmaMax), to: 0).doubleRows,
                              c.flowToZero) < 1e-4)
    }

    @Test func ring8MatchesNumpy() throws {
        let fixture = try Ring8Fixture.load()
        func check<T: MatrixScalar>(_: T.Type, tolerance: Double) throws {
            let model = try GaussianDenoiser<T>(fitting: Matrix(fixture.data))
            for c in fixture.cases {
                let (denoised, logDensity) = try model.denoiseWithLogDensity(Matrix(fixture.queries), sigma: T(c.sigma))
                #expect(maxDifference(denoised.doubleRows, c.gaussianDenoised) < tolerance)
                #expect(zip(logDensity, c.gaussianLogDensity).allSatisfy { abs(Double($0) - $1) < tolerance * max(1, abs($1)) })
            }
        }
        try check(Double.self, tolerance: 1e-12)
        try check(Float.self, tolerance: 1e-4)
    }
}
