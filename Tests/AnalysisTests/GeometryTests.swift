import Foundation
import Testing
@testable import ScoreKitAnalysis

@Suite("Trajectory geometry (Chen et al.)")
struct GeometryTests {
    @Test("a straight path has zero deviation, no turning and one principal component")
    func straightLine() throws {
        let a = [1.0, -2, 0.5, 3, 0], b = [-4.0, 1, 2, 0, 7]
        let s = [0, 0.05, 0.2, 0.21, 0.5, 0.8, 1]
        let points = Matrix<Double>(rows: s.count, columns: a.count) { n, j in a[j] + s[n] * (b[j] - a[j]) }
        let path = try PathGeometry(points: points)
        #expect(path.maxDeviation < 1e-14)
        #expect(path.turningAngles.allSatisfy { $0 < 1e-7 })
        #expect(abs(path.principalShares[0] - 1) < 1e-12)
        #expect(abs(path.chordLength - zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()) < 1e-12)
    }

    @Test("a circular arc has the sagitta deviation, equal turning angles and curvature 1/R")
    func circleArc() throws {
        let (radius, theta, segments) = (2.0, 1.1, 12)
        let rotation = try randomRotation(4, seed: 3)
        let offset = [0.3, -1, 2, 0.7]
        let angles = (0...segments).map { -theta + 2 * theta * Double($0) / Double(segments) }
        // The arc in the (e0, e1) plane, then rotated into ℝ⁴ and shifted.
        let points = Matrix<Double>(rows: angles.count, columns: 4) { n, j in
            offset[j] + rotation[j, 0] * radius * sin(angles[n]) + rotation[j, 1] * radius * cos(angles[n])
        }
        let path = try PathGeometry(points: points)
        #expect(abs(path.chordLength - 2 * radius * sin(theta)) < 1e-12)
        for (n, phi) in angles.enumerated() {
            let expected = (radius * cos(phi) - radius * cos(theta)) / (2 * radius * sin(theta))
            #expect(abs(path.deviation[n] - expected) < 1e-12)
        }
        #expect(abs(path.maxDeviation - (1 - cos(theta)) / (2 * sin(theta))) < 1e-12)
        for angle in path.turningAngles { #expect(abs(angle - 2 * theta / Double(segments)) < 1e-7) }
        #expect(abs(path.totalTurning - 2 * theta * Double(segments - 1) / Double(segments)) < 1e-6)
        for k in path.curvature { #expect(abs(k - 1 / radius) < 1e-7) }
        #expect(abs(path.principalShares[1] - 1) < 1e-12)
        #expect(path.principalShares[0] < 0.99)
    }

    @Test("deviation, angles and PCA shares match numpy on a random path")
    func matchesNumpy() throws {
        let fixture = NumpyPathFixture.self
        let path = try PathGeometry(points: Matrix(rowArrays: fixture.points))
        for (got, want) in zip(path.deviation, fixture.deviation) { #expect(abs(got - want) < 1e-12) }
        for (got, want) in zip(path.turningAngles, fixture.turningAngles) { #expect(abs(got - want) < 1e-10) }
        for (got, want) in zip(path.curvature, fixture.curvature) { #expect(abs(got - want) < 1e-10 * max(1, want)) }
        for (got, want) in zip(path.principalShares, fixture.principalShares) { #expect(abs(got - want) < 1e-12) }
    }

    @Test("Euler on isotropic Gaussian data moves on a straight line; D converges before x")
    func isotropicGaussianRun() throws {
        let d = 6
        let gaussian = try GaussianDenoiser<Double>.isotropic(mean: [Double](repeating: 0.5, count: d), variance: 0.25)
        let sigmas = try Schedule<Double>.karras(steps: 30, sigmaMin: 0.002, sigmaMax: 20).sigmas
        let start = CounterNormalRNG(seed: 11).normals(rows: 5, columns: d, draw: 0, as: Double.self) * 20
        var noise = NoNoise<Double>()
        let record = try SamplerName.kdiffusion(.euler).record(gaussian, from: start, sigmas: sigmas, noise: &noise)
        let geometry = try TrajectoryGeometry(record)
        #expect(geometry.meanMaxDeviation < 1e-12)
        // On a line through μ, D − x and x_final − x point the same way (toward μ) at every step.
        #expect(geometry.cosineToFinal.allSatisfy { abs($0 - 1) < 1e-9 })
        #expect(geometry.paths.count == 5 && geometry.sigmas.count == record.x.count)
        // x(σ) − μ ∝ √(s² + σ²) on the exact flow; D − μ ∝ s²/√(s² + σ²): D is within 10 % far earlier.
        #expect(geometry.denoisingConvergenceSigma > 5 * geometry.samplingConvergenceSigma)
        // ‖x_T − x_final‖ at the start is the distance the path covers.
        let first = (record.x[0] - record.x[record.x.count - 1]).rowSquaredNorms().map { $0.squareRoot() }
        #expect(abs(geometry.samplingDistanceToFinal[0] - first.reduce(0, +) / 5) < 1e-12)
    }

    @Test("bad trajectories are rejected with an error")
    func rejectsBadInput() {
        #expect(throws: AnalysisError.self) { try PathGeometry(points: Matrix(rows: 1, columns: 3)) }
        #expect(throws: AnalysisError.self) { try PathGeometry(points: Matrix(rowArrays: [[0, .nan], [1, 1]])) }
    }
}
