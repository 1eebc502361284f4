import Foundation
import Testing
@testable import ScoreKitIO

@Suite struct FileSummaryTests {
    @Test func npyStatisticsMatchNumpy() throws {
        // min/max/mean are numpy's nanmin/nanmax/nanmean, the NaN count np.isnan(a).sum().
        let e = try Fixture.expected("with_nan.npy")
        let s = try FileSummary(contentsOf: Fixture.url("with_nan.npy"))
        #expect(s.format == .npy && s.arrays.count == 1)
        let a = s.arrays[0]
        #expect(a.name == "with_nan" && a.shape == e.shape && a.dtype == .float64)
        #expect(a.minimum == e.min && a.maximum == e.max && a.nanCount == e.nan_count)
        #expect(abs((a.mean ?? .nan) - (e.mean ?? 0)) <= 1e-15)
    }

    @Test func npzAndSafetensorsListEveryArray() throws {
        let npz = try FileSummary(contentsOf: Fixture.url("trajectory_deflated.npz"))
        #expect(npz.format == .npz && npz.arrays.map(\.name) == ["sigmas", "x", "denoised", "nfe"])
        for a in npz.arrays {
            let values = try #require(Fixture.expected("npz/" + a.name).values)
            #expect(a.minimum == values.min() && a.maximum == values.max() && a.nanCount == 0)
            #expect(abs((a.mean ?? .nan) - values.reduce(0, +) / Double(values.count)) <= 1e-12)
        }
        #expect(npz.arrays[3].dtype == .int64 && npz.arrays[3].shape == [] && npz.arrays[3].mean == 7)
        let st = try FileSummary(contentsOf: Fixture.url("model.safetensors"))
        #expect(st.format == .safetensors && st.metadata == ["format": "pt"] && st.arrays.count == 8)
        #expect(st.arrays.first { $0.name == "mask" }?.maximum == 255)
    }

    @Test func emptyArraysAndUnknownFormats() throws {
        let s = try FileSummary(contentsOf: Fixture.url("f8_empty.npy"))
        #expect(s.arrays[0].shape == [0, 3] && s.arrays[0].minimum == nil && s.arrays[0].mean == nil)
        let url = try Fixture.url("ints.csv")
        expectError("badMagic", path: url.path) { () throws(IOError) in try FileSummary(contentsOf: url) }
    }
}
