import Foundation
import Testing
import ScoreKitDenoisers

/// The empirical optimal denoiser by a direct double loop and a hand-written log-sum-exp.
func bruteForceEmpirical(data: [[Double]], weights: [Double]?, x: [Double], sigma: Double)
    -> (denoised: [Double], logDensity: Double) {
    let total = weights?.reduce(0, +) ?? Double(data.count)
    var logits = [Double]()
    for (i, point) in data.enumerated() {
        var distance = 0.0
        for j in 0..<x.count { distance += (x[j] - point[j]) * (x[j] - point[j]) }
        logits.append(Foundation.log((weights?[i] ?? 1) / total) - distance / (2 * sigma * sigma))
    }
    let top = logits.max() ?? 0
    let exps = logits.map { Foundation.exp($0 - top) }
    let sum = exps.reduce(0, +)
    var denoised = [Double](repeating: 0, count: x.count)
    for (i, point) in data.enumerated() { for j in 0..<x.count { denoised[j] += exps[i] / sum * point[j] } }
    let d = Double(x.count)
    return (denoised, top + Foundation.log(sum) - d / 2 * Foundation.log(2 * Double.pi * sigma * sigma))
}

@Suite("Empirical denoiser")
struct EmpiricalTests {
    static let data: [[Double]] = { var g = SplitMix64(seed: 11); return g.normalMatrix(37, 5) }()
    static let weights: [Double] = { var g = SplitMix64(seed: 12); return (0..<37).map { _ in Double.random(in: 0.1..<2, using: &g) } }()
    static let queries: [[Double]] = { var g = SplitMix64(seed: 13); return g.normalMatrix(9, 5, scale: 1.5) }()

    func checkBruteForce<T: MatrixScalar>(_: T.Type, tolerance: Double) throws {
        for weights in [nil, Self.weights] {
            let model = try EmpiricalDenoiser<T>(data: Matrix(Self.data), weights: weights?.map { T($0) }, chunkSize: 8)
            for sigma in [0.2, 0.7, 3.0] {
                let x = Matrix<T>(Self.queries)
                let both = try model.denoiseWithLogDensity(x, sigma: T(sigma))
                let denoised = try model.denoise(x, sigma: T(sigma)).doubleRows
                let logDensity = try model.logDensity(x, sigma: T(sigma)).map { Double($0) }
                for (b, query) in Self.queries.enumerated() {
                    let reference = bruteForceEmpirical(data: Self.data, weights: weights, x: query, sigma: sigma)
                    #expect(maxDifference(denoised[b], reference.denoised) < tolerance)
                    #expect(maxDifference(both.denoised.doubleRows[b], reference.denoised) < tolerance)
                    #expect(abs(logDensity[b] - reference.logDensity) < tolerance * max(1, abs(reference.logDensity)))
                    #expect(abs(Double(both.logDensity[b]) - reference.logDensity) < tolerance * max(1, abs(reference.logDensity)))
                }
            }
        }
    }

    @Test func matchesBruteForceDouble() throws { try checkBruteForce(Double.self, tolerance: 1e-11) }
    @Test func matchesBruteForceFloat() throws { try checkBruteForce(Float.self, tolerance: 2e-3) }

    func checkChunking<T: MatrixScalar>(_: T.Type, tolerance: Double) throws {
        let x = Matrix<T>(Self.queries), n = Self.data.count
        for weights in [nil, Self.weights.map { T($0) }] {
            let reference = try EmpiricalDenoiser<T>(data: Matrix(Self.data), weights: weights, parallelism: .serial)
                .denoiseWithLogDensity(x, sigma: T(0.5))
            for chunk in [1, 7, n] {
                for parallelism in [EmpiricalDenoiser<T>.Parallelism.serial, .twoWay] {
                    let model = try EmpiricalDenoiser<T>(data: Matrix(Self.data), weights: weights, chunkSize: chunk,
                                                         parallelism: parallelism)
                    let (denoised, logDensity) = try model.denoiseWithLogDensity(x, sigma: T(0.5))
                    #expect(maxDifference(denoised.doubleRows, reference.denoised.doubleRows) < tolerance)
                    #expect(maxDifference(logDensity.map { Double($0) }, reference.logDensity.map { Double($0) }) < tolerance)
                }
            }
        }
    }

    @Test func chunkSizesAndSplitsAgreeDouble() throws { try checkChunking(Double.self, tolerance: 1e-12) }
    @Test func chunkSizesAndSplitsAgreeFloat() throws { try checkChunking(Float.self, tolerance: 2e-5) }

    func nearestPoint(_ x: [Double]) -> [Double] {
        Self.data.min { distance($0, x) < distance($1, x) } ?? []
    }

    func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }

    func checkSmallSigma<T: MatrixScalar>(_: T.Type, tolerance: Double) throws {
        var g = SplitMix64(seed: 14)
        let near = Self.data.prefix(4).map { p in p.map { $0 + 0.01 * g.normal() } }
        let queries = Self.queries + Array(Self.data.prefix(3)) + near
        for weights in [nil, Self.weights.map { T($0) }] {
            let model = try EmpiricalDenoiser<T>(data: Matrix(Self.data), weights: weights, chunkSize: 5)
            for sigma in [T(1e-8), T(1e-30)] {
                let (denoised, logDensity) = try model.denoiseWithLogDensity(Matrix(queries), sigma: sigma)
                #expect(denoised.isFinite)
                #expect(!logDensity.contains { $0.isNaN })
                for (b, query) in queries.enumerated() {
                    #expect(maxDifference(denoised.doubleRows[b], nearestPoint(query)) < tolerance)
                }
            }
        }
    }

    @Test func tinySigmaReturnsTheNearestPointDouble() throws { try checkSmallSigma(Double.self, tolerance: 1e-12) }
    @Test func tinySigmaReturnsTheNearestPointFloat() throws { try checkSmallSigma(Float.self, tolerance: 1e-5) }

    func checkLargeSigma<T: MatrixScalar>(_: T.Type, tolerance: Double) throws {
        for weights in [nil, Self.weights] {
            let total = weights?.reduce(0, +) ?? Double(Self.data.count)
            let mean = (0..<5).map { j in
                Self.data.enumerated().reduce(0) { $0 + (weights?[$1.offset] ?? 1) / total * $1.element[j] }
            }
            let model = try EmpiricalDenoiser<T>(data: Matrix(Self.data), weights: weights?.map { T($0) })
            let (denoised, logDensity) = try model.denoiseWithLogDensity(Matrix(Self.queries), sigma: T(1e8))
            #expect(logDensity.allSatisfy { $0.isFinite })
            for row in denoised.doubleRows { #expect(maxDifference(row, mean) < tolerance) }
        }
    }

    @Test func hugeSigmaReturnsTheWeightedMeanDouble() throws { try checkLargeSigma(Double.self, tolerance: 1e-12) }
    @Test func hugeSigmaReturnsTheWeightedMeanFloat() throws { try checkLargeSigma(Float.self, tolerance: 1e-5) }

    /// Zero weights remove points; integer weights duplicate them.
    @Test func weightsActAsMultiplicities() throws {
        let subset = Array(Self.data.prefix(20))
        let multiplicities = (0..<20).map { Double($0 % 3) }  // 0, 1 or 2 copies
        let duplicated = subset.enumerated().flatMap { Array(repeating: $0.element, count: Int(multiplicities[$0.offset])) }
        let weighted = try EmpiricalDenoiser<Double>(data: Matrix(subset), weights: multiplicities, chunkSize: 3)
        let plain = try EmpiricalDenoiser<Double>(data: Matrix(duplicated))
        for sigma in [0.05, 0.6, 4.0] {
            let a = try weighted.denoiseWithLogDensity(Matrix(Self.queries), sigma: sigma)
            let b = try plain.denoiseWithLogDensity(Matrix(Self.queries), sigma: sigma)
            #expect(maxDifference(a.denoised.doubleRows, b.denoised.doubleRows) < 1e-12)
            #expect(maxDifference(a.logDensity, b.logDensity) < 1e-10)
        }
    }

    /// The MNIST-sized case of the brief (N = 60,000, d = 784, B = 256, Float), against a Double
    /// brute force on a few rows. Slow in debug builds: run with SCOREKIT_LARGE_TESTS=1.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SCOREKIT_LARGE_TESTS"] != nil))
    func mnistScale() throws {
        let (n, d, b) = (60_000, 784, 256)
        var g = SplitMix64(seed: 15)
        let data = Matrix<Float>(rows: n, columns: d) { _, _ in Float(g.next() >> 40) / Float(1 << 24) }
        let x = Matrix<Float>(rows: b, columns: d) { i, j in data[i, j] + 0.3 * Float(g.next() >> 40) / Float(1 << 24) }
        let model = try EmpiricalDenoiser<Float>(data: data)
        let start = Date()
        let (denoised, logDensity) = try model.denoiseWithLogDensity(x, sigma: 1)
        print("empirical N=\(n) d=\(d) B=\(b) Float: \(Date().timeIntervalSince(start)) s")
        #expect(denoised.isFinite && logDensity.allSatisfy { $0.isFinite })
        let rows = data.doubleRows
        for i in [0, 100, 255] {
            let reference = bruteForceEmpirical(data: rows, weights: nil, x: x.doubleRows[i], sigma: 1)
            #expect(maxDifference(denoised.doubleRows[i], reference.denoised) < 1e-3)
            #expect(abs(Double(logDensity[i]) - reference.logDensity) < 1e-3 * abs(reference.logDensity))
        }
    }
}
