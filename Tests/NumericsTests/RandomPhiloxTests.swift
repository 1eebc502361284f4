import Foundation
import Testing
@testable import ScoreKitNumerics

@Suite("Philox4x32-10 and PhiloxGenerator")
struct RandomPhiloxTests {
    /// Known answers from Random123's `tests/kat_vectors`, lines 27–29 ("philox4x32 10": counter,
    /// key, expected), https://github.com/DEShawResearch/random123 at commit 9545ff6413f2 (v1.14.0).
    @Test("Random123 known-answer vectors", arguments: [
        (SIMD4<UInt32>(0, 0, 0, 0), SIMD2<UInt32>(0, 0),
         SIMD4<UInt32>(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
        (SIMD4<UInt32>(repeating: 0xffff_ffff), SIMD2<UInt32>(repeating: 0xffff_ffff),
         SIMD4<UInt32>(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
        (SIMD4<UInt32>(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), SIMD2<UInt32>(0xa409_3822, 0x299f_31d0),
         SIMD4<UInt32>(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
    ])
    func knownAnswers(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>) {
        #expect(Philox4x32.block(counter: counter, key: key) == expected)
    }

    @Test("the generator walks the documented counters, two outputs per block")
    func generatorLayout() {
        let seed: UInt64 = 0x0123_4567_89ab_cdef, stream: UInt64 = 0x7000_0000_0000_0005
        var g = PhiloxGenerator(seed: seed, stream: stream)
        let key = SIMD2<UInt32>(0x89ab_cdef, 0x0123_4567)
        for block in UInt32(0)..<3 {
            let w = Philox4x32.block(counter: SIMD4(block, 0, 5, 0x7000_0000 | 0x8000_0000), key: key)
            #expect(g.next() == UInt64(w[0]) + (UInt64(w[1]) << 32))
            #expect(g.next() == UInt64(w[2]) + (UInt64(w[3]) << 32))
        }
    }

    @Test("seeds and streams give different sequences; a seed replays its sequence")
    func seedsAndStreams() {
        func first(_ n: Int, _ g: PhiloxGenerator) -> [UInt64] {
            var g = g
            return (0..<n).map { _ in g.next() }
        }
        let base = first(64, PhiloxGenerator(seed: 1))
        #expect(base == first(64, PhiloxGenerator(seed: 1)))
        #expect(Set(base).count == 64)
        #expect(Set(base).isDisjoint(with: first(64, PhiloxGenerator(seed: 2))))
        #expect(Set(base).isDisjoint(with: first(64, PhiloxGenerator(seed: 1, stream: 1))))
        // A shuffle is a permutation and is reproducible from the seed.
        var a = PhiloxGenerator(seed: 9), b = PhiloxGenerator(seed: 9)
        let s = Array(0..<100).shuffled(using: &a)
        #expect(s.sorted() == Array(0..<100))
        #expect(s == Array(0..<100).shuffled(using: &b))
        #expect(s != Array(0..<100))
    }

    @Test("bits are uniform: every bit position is set about half of the time")
    func bitBalance() {
        var g = PhiloxGenerator(seed: 42)
        let n = 20_000
        var ones = [Int](repeating: 0, count: 64)
        for _ in 0..<n {
            let x = g.next()
            for bit in 0..<64 where x & (1 << UInt64(bit)) != 0 { ones[bit] += 1 }
        }
        // Binomial(n, ½): standard deviation √n / 2; allow 5 of them.
        let bound = 5 * Double(n).squareRoot() / 2
        #expect(ones.allSatisfy { abs(Double($0) - Double(n) / 2) < bound })
    }

    @Test("nextStandardNormal is Box–Muller of the documented uniforms, with mean 0 and variance 1")
    func scalarNormals() {
        var g = PhiloxGenerator(seed: 7), h = PhiloxGenerator(seed: 7)
        for _ in 0..<100 {
            let bits = h.next()
            let u = (Double(bits & 0xffff_ffff) + 0.5) / 4_294_967_296
            let v = (Double(bits >> 32) + 0.5) / 4_294_967_296
            let z: Double = g.nextStandardNormal()
            #expect(abs(z - sqrt(-2 * log(u)) * cos(2 * Double.pi * v)) < 1e-14)
        }
        let n = 200_000
        let zs = (0..<n).map { _ in g.nextStandardNormal(Float.self) }
        let mean = zs.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = zs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n - 1)
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
        #expect(zs.allSatisfy { $0.isFinite && abs($0) < 7 })
    }
}
