import Testing
@testable import ScoreKitNumerics

@Suite("Matrix basics")
struct MatrixBasicsTests {
    @Test func rowMajorLayoutAndSubscript() {
        let m = Matrix<Double>(rows: 2, columns: 3, scalars: [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4)
        #expect(Array(m.row(1)) == [4, 5, 6])
        #expect(m.rows(1..<2).scalars == [4, 5, 6])
        #expect(m.rows(at: [1, 0]).scalars == [4, 5, 6, 1, 2, 3])
    }

    @Test func transposeOfRectangularMatricesAcrossBlockEdges() {
        for (r, c) in [(1, 1), (3, 70), (65, 33), (100, 1)] {
            let m = randomMatrix(r, c, seed: UInt64(r * 1000 + c), as: Float.self)
            let t = m.transposed
            #expect(t.rows == c && t.columns == r)
            var ok = true
            for i in 0..<r { for j in 0..<c where t[j, i] != m[i, j] { ok = false } }
            #expect(ok)
        }
    }

    @Test func reductionsMatchLoops() {
        let m = randomMatrix(7, 5, seed: 3, as: Double.self)
        for i in 0..<7 {
            var s = 0.0, q = 0.0
            for j in 0..<5 { s += m[i, j]; q += m[i, j] * m[i, j] }
            #expect(abs(m.rowSums()[i] - s) < 1e-14)
            #expect(abs(m.rowSquaredNorms()[i] - q) < 1e-14)
        }
        for j in 0..<5 {
            var s = 0.0
            for i in 0..<7 { s += m[i, j] }
            #expect(abs(m.columnMeans()[j] - s / 7) < 1e-14)
        }
    }

    @Test func elementwiseAndRowOps() {
        let a = Matrix<Double>(rows: 2, columns: 2, scalars: [1, 2, 3, 4])
        let b = Matrix<Double>(rows: 2, columns: 2, scalars: [10, 20, 30, 40])
        #expect((a + b).scalars == [11, 22, 33, 44])
        #expect((b - a).scalars == [9, 18, 27, 36])
        #expect((a .* b).scalars == [10, 40, 90, 160])
        #expect(a.linearCombination(2, -1, b).scalars == [-8, -16, -24, -32])
        #expect(a.addingToRows([1, -1]).scalars == [2, 1, 4, 3])
        #expect(a.scalingRows(by: [2, 0]).scalars == [2, 4, 0, 0])
    }
}

@Suite("BLAS products")
struct GemmTests {
    @Test(arguments: [(1, 1, 1), (3, 5, 2), (17, 9, 33), (64, 1, 7), (2, 40, 2)])
    func gemmMatchesTripleLoop(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let a = randomMatrix(m, k, seed: 1, as: Double.self), b = randomMatrix(k, n, seed: 2, as: Double.self)
        #expect(maxAbsDifference((a * b).scalars, naiveProduct(a, b)) < 1e-12)
        let af = a.converted(to: Float.self), bf = b.converted(to: Float.self)
        #expect(maxAbsDifference((af * bf).scalars, naiveProduct(af, bf)) < 1e-5 * Double(k))
    }

    @Test func transposedOperandsAlphaAndBeta() {
        let a = randomMatrix(6, 4, seed: 5, as: Double.self), b = randomMatrix(5, 6, seed: 6, as: Double.self)
        // C = 2 · Aᵀ Bᵀ + 0.5 C₀
        var c = randomMatrix(4, 5, seed: 7, as: Double.self)
        let c0 = c
        Matrix.gemm(a, transposeA: true, b, transposeB: true, alpha: 2, beta: 0.5, into: &c)
        let ref = naiveProduct(a.transposed, b.transposed)
        let expected = zip(ref, c0.scalars).map { 2 * $0 + 0.5 * $1 }
        #expect(maxAbsDifference(c.scalars, expected) < 1e-12)
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let a = Matrix<Double>(rows: 3, columns: 0), b = Matrix<Double>(rows: 0, columns: 2)
        #expect((a * b).scalars == [Double](repeating: 0, count: 6))
    }
}

@Suite("LAPACK decompositions")
struct DecompositionTests {
    @Test func eigenOfTwoByTwoMatchesClosedForm() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        let e = try Matrix<Double>(rows: 2, columns: 2, scalars: [2, 1, 1, 2]).symmetricEigen()
        #expect(abs(e.values[0] - 1) < 1e-14 && abs(e.values[1] - 3) < 1e-14)
        #expect(abs(abs(e.vectors[0, 1]) - 0.5.squareRoot()) < 1e-14)
        #expect(abs(e.vectors[0, 1] - e.vectors[1, 1]) < 1e-14)  // (1, 1) direction for λ = 3
    }

    @Test(arguments: [1, 5, 40])
    func eigenResidualAndOrthogonality(n: Int) throws {
        let r = randomMatrix(n, n, seed: UInt64(n), as: Double.self)
        let a = Matrix.product(r, transposeA: true, r)  // symmetric PSD
        let e = try a.symmetricEigen()
        let av = a * e.vectors
        for k in 0..<n { for i in 0..<n {
            #expect(abs(av[i, k] - e.values[k] * e.vectors[i, k]) < 1e-11)
        } }
        let vtv = Matrix.product(e.vectors, transposeA: true, e.vectors)
        #expect(maxAbsDifference(vtv.scalars, Matrix<Double>.identity(n).scalars) < 1e-12)
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
        let ef = try a.converted(to: Float.self).symmetricEigen()
        #expect(maxAbsDifference(ef.values, e.values.map { $0 }) < 1e-4 * (e.values.last ?? 1))
    }

    @Test func choleskyReconstructsAndRejectsIndefinite() throws {
        let r = randomMatrix(6, 6, seed: 11, as: Double.self)
        let a = Matrix.product(r, transposeA: true, r) + Matrix<Double>.identity(6)
        let l = try a.cholesky()
        for i in 0..<6 { for j in (i + 1)..<6 { #expect(l[i, j] == 0) } }
        #expect(maxAbsDifference(Matrix.product(l, l, transposeB: true).scalars, a.scalars) < 1e-12)
        let indefinite = Matrix<Double>(rows: 2, columns: 2, scalars: [1, 2, 2, 1])
        #expect(throws: NumericsError.notPositiveDefinite(minorOrder: 2)) { try indefinite.cholesky() }
        #expect(throws: NumericsError.self) { try Matrix<Double>(rows: 2, columns: 3).symmetricEigen() }
    }
}
