import Testing
import ScoreKitNumerics
@testable import ScoreKitIO

@Suite struct DigitsTests {
    @Test func loadsTheBundledDigits() throws {
        let digits = try Digits<Double>.load()
        #expect(digits.images.rows == 1797 && digits.images.columns == 64 && digits.labels.count == 1797)
        // Label counts and raw pixel total from numpy:
        //   a = np.loadtxt("digits.csv.gz", delimiter=","); np.bincount(a[:, 64].astype(int)); a[:, :64].sum()
        //   → [178 182 177 183 181 182 181 179 174 180], 561718.0
        let counts = (0..<10).map { d in digits.labels.filter { $0 == d }.count }
        #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        #expect(digits.images.scalars.reduce(0) { $0 + ($1 + 1) * 8 } == 561_718)
        #expect(digits.images.scalars.min() == -1 && digits.images.scalars.max() == 1)
        #expect(digits.images.scalars.allSatisfy { ($0 + 1) * 8 == (($0 + 1) * 8).rounded() })
        let floats = try Digits<Float>.load()
        #expect(floats.images.converted(to: Double.self) == digits.images && floats.labels == digits.labels)
    }
}
