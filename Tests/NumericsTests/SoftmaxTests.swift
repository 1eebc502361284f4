import Foundation
import Testing
@testable import ScoreKitNumerics

/// Reference log-sum-exp in Double, written the textbook way (max shift, then libm exp/log).
private func referenceLogSumExp(_ v: [Double]) -> Double {
    guard let m = v.max(), m.isFinite else { return v.max() ?? -.infinity }
    return m + Foundation.log(v.reduce(0) { $0 + Foundation.exp($1 - m) })
}

@Suite("Softmax, log-sum-exp and exp kernels")
struct SoftmaxTests {
    @Test(arguments: [1, 3, 15, 16, 17, 100, 1000])
    func softmaxMatchesReferenceForEveryTailLength(cols: Int) {
        let x = randomMatrix(5, cols, seed: UInt64(cols), scale: 20, as: Double.self)
        let s = x.softmaxRows()
        let sf = x.converted(to: Float.self).softmaxRows()
        for i in 0..<5 {
            let row = Array(x.row(i)), lse = referenceLogSumExp(row)
            for j in 0..<cols {
                let ref = Foundation.exp(row[j] - lse)
                #expect(abs(s[i, j] - ref) <= 1e-14 + 1e-13 * ref)
                #expect(abs(Double(sf[i, j]) - ref) <= 1e-7 + 1e-5 * ref)
            }
            #expect(abs(s.row(i).reduce(0, +) - 1) < 1e-13)
        }
    }

    @Test func softmaxIsShiftInvariantAndSurvivesHugeInputs() {
        let x = Matrix<Float>(rows: 2, columns: 3, scalars: [1e30, 1e30, -1e30, -3e38, -3e38 + 1e32, -3e38])
        let s = x.softmaxRows()
        #expect(s.isFinite)
        #expect(abs(s[0, 0] - 0.5) < 1e-6 && s[0, 2] == 0)
        let y = randomMatrix(3, 40, seed: 9, as: Double.self)
        let shifted = y.softmaxRows(), base = (y.map { $0 + 1234.5 }).softmaxRows()
        #expect(maxAbsDifference(shifted.scalars, base.scalars.map { $0 }) < 1e-12)
    }

    @Test func softmaxEdgeRows() {
        let inf = Double.infinity
        let x = Matrix<Double>(rowArrays: [[0, -inf, 0], [-inf, -inf, -inf], [1, .nan, 2], [inf, 0, 0]])
        let s = x.softmaxRows()
        #expect(s.row(0).elementsEqual([0.5, 0, 0.5]))
        #expect(s.row(1).allSatisfy(\.isNaN) && s.row(2).allSatisfy(\.isNaN) && s.row(3).allSatisfy(\.isNaN))
    }

    @Test func logSumExpMatchesReferenceAndNeverOverflows() {
        let x = randomMatrix(4, 37, seed: 4, scale: 50, as: Double.self)
        let l = x.logSumExpRows()
        for i in 0..<4 { #expect(abs(l[i] - referenceLogSumExp(Array(x.row(i)))) < 1e-12) }
        let big = Matrix<Float>(rowArrays: [[1e30, 1e30], [-1e30, -1e30], [-.infinity, -.infinity], [.infinity, 1]])
        let lb = big.logSumExpRows()
        #expect(lb[0] == 1e30 && lb[1] == -1e30)   // log 2 is below the resolution at 1e30
        #expect(lb[2] == -.infinity && lb[3] == .infinity)
        let d = Matrix<Double>(rowArrays: [[1e300, 1e300], [Double.nan, 0]]).logSumExpRows()
        #expect(d[0] == 1e300 && d[1].isNaN)
    }

    @Test func expKernelAccuracyAndEdges() {
        let xs = stride(from: -740.0, through: 709.0, by: 0.37).map { $0 }
        let y = Matrix(row: xs).exp()
        var worst = 0.0
        for (x, v) in zip(xs, y.scalars) where Foundation.exp(x) > 1e-300 {
            worst = max(worst, abs(v - Foundation.exp(x)) / Foundation.exp(x))
        }
        #expect(worst < 4e-16)
        let fx = stride(from: Float(-87), through: 88, by: 0.011).map { $0 }
        let fy = Matrix(row: fx).exp()
        var worstF = 0.0
        for (x, v) in zip(fx, fy.scalars) {
            let e = Foundation.exp(Double(x))
            worstF = max(worstF, abs(Double(v) - e) / e)
        }
        #expect(worstF < 3e-7)
        let edges = Matrix<Float>(row: [-1000, 1000, .nan, -.infinity, .infinity, 0]).exp().scalars
        #expect(edges[0] == 0 && edges[1] == .infinity && edges[2].isNaN)
        #expect(edges[3] == 0 && edges[4] == .infinity && edges[5] == 1)
    }
}

@Suite("Pairwise squared distances")
struct DistanceTests {
    @Test func distancesMatchBruteForceAndAreNonnegative() {
        let x = randomMatrix(9, 13, seed: 21, as: Double.self), y = randomMatrix(20, 13, seed: 22, as: Double.self)
        let d = x.squaredDistances(to: y)
        for i in 0..<9 { for j in 0..<20 {
            var s = 0.0
            for k in 0..<13 { let t = x[i, k] - y[j, k]; s += t * t }
            #expect(abs(d[i, j] - s) < 1e-12)
        } }
        // Identical far-from-origin points: the expanded form cancels to rounding noise, clamped at 0.
        let p = Matrix<Float>(rows: 3, columns: 64) { _, j in 1000 + Float(j) * 0.1 }
        let dp = p.squaredDistances(to: p)
        #expect(dp.scalars.allSatisfy { $0 >= 0 })
    }
}
