import Foundation
import Testing
@testable import ScoreKitNumerics

/// The documented layout written out element by element: the (KAT-checked) Philox block, then
/// Box–Muller with Foundation's libm in Double.
private enum Reference {
    static func uniforms(seed: UInt64, sample: UInt64, draw: UInt32, block: Int) -> [Double] {
        let w = Philox4x32.block(
            counter: SIMD4(UInt32(block), draw, UInt32(sample & 0xffff_ffff), UInt32(sample >> 32)),
            key: SIMD2(UInt32(seed & 0xffff_ffff), UInt32(seed >> 32)))
        return (0..<4).map { (Double(w[$0]) + 0.5) / 4_294_967_296 }
    }

    static func uniform(seed: UInt64, sample: UInt64, draw: UInt32, column j: Int) -> Double {
        uniforms(seed: seed, sample: sample, draw: draw, block: j / 4)[j % 4]
    }

    static func normal(seed: UInt64, sample: UInt64, draw: UInt32, column j: Int) -> Double {
        let u = uniforms(seed: seed, sample: sample, draw: draw, block: j / 4)
        let pair = j % 4 < 2 ? 0 : 2
        let radius = sqrt(-2 * log(u[pair])), angle = 2 * Double.pi * u[pair + 1]
        return j % 2 == 0 ? radius * cos(angle) : radius * sin(angle)
    }
}

@Suite("CounterNormalRNG layout and batch independence")
struct RandomCounterNormalTests {
    let rng = CounterNormalRNG(seed: 0xdead_beef_0bad_f00d)

    // Column counts that reach every path of the kernel: one block per row, partial blocks,
    // groups spanning rows, and whole groups of 8 blocks.
    static let widths = [1, 2, 3, 4, 5, 7, 13, 31, 32, 33, 64, 100]

    @Test("Double and Float fills follow the documented layout", arguments: widths)
    func matchesReference(columns: Int) {
        let first = (1 << 32) + 5  // exercises the high word of the sample index
        let draw = 3
        let z: Matrix<Double> = rng.normals(rows: 11, columns: columns, firstSample: first, draw: draw)
        let zf: Matrix<Float> = rng.normals(rows: 11, columns: columns, firstSample: first, draw: draw)
        let u: Matrix<Double> = rng.uniforms(rows: 11, columns: columns, firstSample: first, draw: draw)
        let uf: Matrix<Float> = rng.uniforms(rows: 11, columns: columns, firstSample: first, draw: draw)
        var worstDouble = 0.0, worstFloat = 0.0, worstUniform = 0.0
        for r in 0..<11 {
            for j in 0..<columns {
                let sample = UInt64(first + r)
                let expected = Reference.normal(seed: rng.seed, sample: sample, draw: UInt32(draw), column: j)
                let scale = max(1, abs(expected))
                worstDouble = max(worstDouble, abs(z[r, j] - expected) / scale)
                worstFloat = max(worstFloat, abs(Double(zf[r, j]) - expected) / scale)
                let ue = Reference.uniform(seed: rng.seed, sample: sample, draw: UInt32(draw), column: j)
                #expect(u[r, j] == ue)
                worstUniform = max(worstUniform, abs(Double(uf[r, j]) - ue))
                #expect(uf[r, j] > 0 && uf[r, j] < 1)
            }
        }
        #expect(worstDouble < 1e-14)
        #expect(worstFloat < 1e-6)
        #expect(worstUniform <= 0x1p-24)
    }

    @Test("a batch split into 3 + 17 rows gives the same bits as one batch of 20", arguments: widths)
    func batchSplit(columns: Int) {
        for distribution in [CounterNormalRNG.Distribution.standardNormal, .uniform] {
            var whole = Matrix<Float>(rows: 20, columns: columns), head = Matrix<Float>(rows: 3, columns: columns)
            var tail = Matrix<Float>(rows: 17, columns: columns)
            rng.fill(&whole, with: distribution, firstSample: 40, draw: 2)
            rng.fill(&head, with: distribution, firstSample: 40, draw: 2)
            rng.fill(&tail, with: distribution, firstSample: 43, draw: 2)
            #expect(Matrix.vstack([head, tail]) == whole)
        }
    }

    @Test("an explicit list of sample indices, shuffled and with repeats, gives the same rows", arguments: widths)
    func explicitIndices(columns: Int) {
        let contiguous: Matrix<Double> = rng.normals(rows: 30, columns: columns, firstSample: 100, draw: 9)
        var order = Array(0..<30) + [4, 4, 17]
        var g = PhiloxGenerator(seed: 3)
        order.shuffle(using: &g)
        var picked = Matrix<Double>(rows: order.count, columns: columns)
        rng.fill(&picked, samples: order.map { $0 + 100 }, draw: 9)
        #expect(picked == contiguous.rows(at: order))
    }

    @Test("a narrow draw is the first columns of a wider one")
    func prefixColumns() {
        let wide: Matrix<Float> = rng.normals(rows: 9, columns: 37, draw: 1)
        for columns in [1, 2, 5, 36] {
            let narrow: Matrix<Float> = rng.normals(rows: 9, columns: columns, draw: 1)
            #expect(narrow == Matrix(rows: 9, columns: columns) { wide[$0, $1] })
        }
    }

    @Test("Float and Double runs see the same noise to ~1e-6 over a million draws")
    func floatMatchesDouble() {
        let z: Matrix<Double> = rng.normals(rows: 4096, columns: 256, draw: 0)
        let zf: Matrix<Float> = rng.normals(rows: 4096, columns: 256, draw: 0)
        var worst = 0.0
        for (a, b) in zip(z.scalars, zf.scalars) { worst = max(worst, abs(a - Double(b)) / max(1, abs(a))) }
        #expect(worst < 1e-6)
    }

    @Test("seeds, draws and samples all change the noise")
    func addressesMatter() {
        func normals(_ seed: UInt64, first: Int, draw: Int) -> [Float] {
            CounterNormalRNG(seed: seed).normals(rows: 4, columns: 50, firstSample: first, draw: draw).scalars
        }
        let base = normals(1, first: 0, draw: 0)
        for other in [normals(2, first: 0, draw: 0), normals(1, first: 4, draw: 0), normals(1, first: 0, draw: 1),
                      normals(1 << 32, first: 0, draw: 0), normals(1, first: 1 << 32, draw: 0)] {
            #expect(zip(base, other).filter { $0 == $1 }.isEmpty)
        }
    }

    @Test("empty matrices are left alone")
    func empty() {
        var none = Matrix<Double>(rows: 0, columns: 5)
        rng.fill(&none, draw: 0)
        rng.fill(&none, samples: [], draw: 0)
        var thin = Matrix<Double>(rows: 3, columns: 0)
        rng.fill(&thin, with: .uniform, draw: 1)
        #expect(none.count == 0 && thin.count == 0)
    }
}
