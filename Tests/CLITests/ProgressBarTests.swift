import Testing
@testable import ScoreKitCLI

@Suite("Progress bar")
struct ProgressBarTests {
    @Test func plainLinesReportCountsAndPercent() {
        let bar = ProgressBar("sampling", total: 8, isTerminal: false)
        bar.advance(by: 2)
        #expect(bar.plainLine().hasPrefix("sampling: 2/8 (25%)"))
        bar.advance(by: 100)   // clamps at the total
        #expect(bar.plainLine().hasPrefix("sampling: 8/8 (100%)"))
    }

    @Test func terminalRenderingFillsTheBarProportionally() {
        let bar = ProgressBar("train", total: 4, isTerminal: true)
        bar.advance(by: 1)
        let line = bar.render(width: 8)
        #expect(line.hasPrefix("\rtrain ██······ 1/4"))
    }
}
