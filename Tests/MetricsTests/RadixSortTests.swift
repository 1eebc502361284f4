import Testing
@testable import ScoreKitMetrics

@Suite struct RadixSortTests {
    /// Against the standard library's sort: negatives, zeros of both signs, ties, subnormals,
    /// huge magnitudes and ±∞ (a pass whose digit never varies is skipped).
    @Test(arguments: [0, 1, 2, 7, 3000])
    func sortsLikeTheStandardLibrary(count: Int) {
        var g = SplitMix64(UInt64(count) + 70)
        let tiny = Double.leastNormalMagnitude / 4
        let specials: [Double] = [0, -0.0, tiny, -tiny, .infinity, -.infinity, 3, 3, -2.5e300]
        let values = (0..<count).map { i in i < specials.count ? specials[i] : g.normal() * 1e3 }
        for input in [values, values.map { 1 + abs($0) / 1e9 }] {  // the second shares high digits
            var double = input
            double.withUnsafeMutableBufferPointer { radixSort($0) }
            #expect(double == input.sorted())
            var float = input.map { Float($0) }
            float.withUnsafeMutableBufferPointer { radixSort($0) }
            #expect(float == input.map { Float($0) }.sorted())
        }
    }
}
