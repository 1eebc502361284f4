import Foundation
import Testing
import ScoreKitDenoisers
@_exported import ScoreKitTestSupport

/// Plain Double linear algebra for the references, written without BLAS or LAPACK.
enum Reference {
    /// Solves A x = b by Gaussian elimination with partial pivoting; also returns log|det A|.
    static func solve(_ a: [[Double]], _ b: [Double]) -> (x: [Double], logAbsDeterminant: Double) {
        var m = a, rhs = b
        let n = b.count
        var logDet = 0.0
        for k in 0..<n {
            let p = (k..<n).max { abs(m[$0][k]) < abs(m[$1][k]) } ?? k
            m.swapAt(k, p); rhs.swapAt(k, p)
            logDet += Foundation.log(abs(m[k][k]))
            for i in (k + 1)..<n {
                let f = m[i][k] / m[k][k]
                for j in k..<n { m[i][j] -= f * m[k][j] }
                rhs[i] -= f * rhs[k]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            x[i] = (rhs[i] - ((i + 1)..<n).reduce(0) { $0 + m[i][$1] * x[$1] }) / m[i][i]
        }
        return (x, logDet)
    }

    static func matmul(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
    }

    static func transpose(_ a: [[Double]]) -> [[Double]] {
        (0..<a[0].count).map { j in a.map { $0[j] } }
    }

    static func identity(_ n: Int, scale: Double = 1) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? scale : 0 } }
    }

    static func add(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        zip(a, b).map { zip($0, $1).map(+) }
    }

    /// The Gaussian posterior mean μ + Σ(Σ + σ²I)⁻¹(x − μ) and log N(x; μ, Σ + σ²I), by solves.
    static func gaussian(mean: [Double], covariance: [[Double]], x: [Double], sigma: Double)
        -> (denoised: [Double], logDensity: Double) {
        let d = mean.count
        let c = add(covariance, identity(d, scale: sigma * sigma))
        let y = zip(x, mean).map(-)
        let (v, logDet) = solve(c, y)
        let denoised = (0..<d).map { i in mean[i] + (0..<d).reduce(0) { $0 + covariance[i][$1] * v[$1] } }
        let quadratic = zip(y, v).reduce(0) { $0 + $1.0 * $1.1 }
        return (denoised, -0.5 * (quadratic + logDet + Double(d) * Foundation.log(2 * Double.pi)))
    }

    /// Orthonormal columns by Gram–Schmidt of random vectors (d × d).
    static func randomOrthonormal(_ d: Int, using rng: inout SplitMix64) -> [[Double]] {
        var columns = [[Double]]()
        while columns.count < d {
            var v = (0..<d).map { _ in rng.normal() }
            for q in columns {
                let dot = zip(v, q).reduce(0) { $0 + $1.0 * $1.1 }
                v = zip(v, q).map { $0 - dot * $1 }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            columns.append(v.map { $0 / norm })
        }
        return transpose(columns)
    }

    /// Q diag(λ) Qᵀ.
    static func fromEigen(_ q: [[Double]], _ lambda: [Double]) -> [[Double]] {
        let d = lambda.count
        return (0..<d).map { i in (0..<d).map { j in (0..<d).reduce(0) { $0 + q[i][$1] * lambda[$1] * q[j][$1] } } }
    }
}

extension Matrix {
    init(_ rows: [[Double]]) { self.init(rowArrays: rows.map { $0.map { Scalar($0) } }) }
    var doubleRows: [[Double]] { (0..<rows).map { row($0).map { Double($0) } } }
}

/// max |a − b| over all entries.
func maxDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
    zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
}

func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// The ring8 oracle data and the numpy references (scripts/fixtures/make_denoiser_fixtures.py).
struct Ring8Fixture: Decodable {
    struct Mixture: Decodable { let weights: [Double]; let means: [[Double]]; let covariances: [[[Double]]] }
    struct Case: Decodable {
        let sigma: Double
        let empiricalDenoised: [[Double]], empiricalLogDensity: [Double]
        let gaussianDenoised: [[Double]], gaussianLogDensity: [Double]
        let gmmDenoised: [[Double]], gmmLogDensity: [Double]
    }
    struct Kim: Decodable { let levels: [Double]; let empiricalField: [[Double]]; let gmmField: [[Double]] }
    struct ClosedForm: Decodable {
        let z: [[Double]]; let sigmaMax: Double; let sigmaEnd: Double
        let flowToZero: [[Double]]; let flowThenDenoise: [[Double]]
    }
    let data: [[Double]]
    let gmm: Mixture
    let queries: [[Double]]
    let cases: [Case]
    let kim: Kim
    let closedForm: ClosedForm

    static func load() throws -> Ring8Fixture {
        let url = try #require(Bundle.module.url(forResource: "ring8", withExtension: "json", subdirectory: "Fixtures"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Ring8Fixture.self, from: Data(contentsOf: url))
    }

    func mixture<T: MatrixScalar>(_: T.Type) throws -> GaussianMixtureDenoiser<T> {
        try GaussianMixtureDenoiser(weights: gmm.weights.map { T($0) }, means: Matrix(gmm.means),
                                    stackedCovariances: gmm.covariances.flatMap { $0.flatMap { $0 } }.map { T($0) })
    }
}

extension SplitMix64 {
    mutating func normalMatrix(_ rows: Int, _ columns: Int, scale: Double = 1) -> [[Double]] {
        (0..<rows).map { _ in (0..<columns).map { _ in scale * normal() } }
    }
}
