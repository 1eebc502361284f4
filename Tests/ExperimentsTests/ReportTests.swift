import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ScoreKitExperiments

/// Whether `text` is a well-formed XML document (Foundation's parser, independent of the writer).
private func isWellFormedXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}

private func sampleResult(id: String, verdict: Verdict, title: String = "a < b & c") -> ClaimResult {
    ClaimResult(id: id, paper: .chen, claim: "claim \(id) <with> \"quotes\"", criterion: "x ≤ 1 & y > 2", verdict: verdict,
                numbers: ["a": 1.5, "inf": .infinity, "nan": .nan], keyNumber: "a = 1.5", reading: "reads <fine>",
                figures: [.plot(PlotSpec(title: title, xLabel: "σ", yLabel: "y", xScale: .log, yScale: .linear,
                                         series: [.init(label: "s & t", x: [0.01, 0.1, 1, 10, -1, .nan], y: [1, 2, 3, 4, 5, 6])],
                                         markers: [.init(axis: .x, value: 1, label: "m<1>")])),
                          .imageGrid(ImageGridSpec(title: "grid", height: 2, width: 2, columns: 2, images: [[-1, 0, 1, .nan], [1, 1, -1, -1]]))],
                config: ["k": "v"])
}

@Suite struct ReportTests {
    @Test func escapesMarkupCharactersAndDropsControls() {
        #expect(XML.escape("a<b>&\"c'\u{1}d") == "a&lt;b&gt;&amp;&quot;c&#39;d")
    }

    @Test func niceLinearTicksAreOneTwoFiveMultiples() {
        #expect(AxisScale.niceTicks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(AxisScale.niceTicks(-3, 7).map { $0 } == [-2, 0, 2, 4, 6])
        #expect(AxisScale.niceTicks(0.0013, 0.0051).count >= 4)
    }

    @Test func logTicksAreDecadesOverWideRanges() {
        let axis = AxisScale(scale: .log, low: -3.1, high: 2.05)
        #expect(axis.ticks().map(\.position) == [-3, -2, -1, 0, 1, 2])
        #expect(axis.ticks().map(\.label) == ["10⁻³", "10⁻²", "10⁻¹", "1", "10", "10²"])
        // Under two decades: 1-2-5 mantissas.
        let narrow = AxisScale(scale: .log, low: log10(0.3), high: log10(6))
        #expect(narrow.ticks().map(\.label) == ["0.5", "1", "2", "5"])
    }

    @Test func logAxisIgnoresValuesItCannotShow() {
        let axis = AxisScale(scale: .log, values: [-1, 0, .nan, 1, 100])
        #expect(abs(axis.low - (0 - 0.08)) < 1e-12 && abs(axis.high - (2 + 0.08)) < 1e-12)
    }

    @Test func plotsAndGridsAreWellFormedSVG() throws {
        let result = sampleResult(id: "X1", verdict: .holds)
        for (k, figure) in result.figures.enumerated() {
            let svg: String
            switch figure {
            case .plot(let p): svg = SVGPlot(spec: p, idPrefix: "t\(k)").render()
            case .imageGrid(let g): svg = SVGImageGrid(spec: g).render()
            }
            #expect(isWellFormedXML(svg), "\(svg.prefix(400))")
        }
        let empty = SVGPlot(spec: PlotSpec(title: "empty", xLabel: "x", yLabel: "y", series: [], equalAspect: true), idPrefix: "e").render()
        #expect(isWellFormedXML(empty))
    }

    @Test func imageGridEmbedsAPNGOfTheTiledImages() throws {
        let svg = SVGImageGrid(spec: ImageGridSpec(title: "g", height: 2, width: 3, columns: 2, images: [[Double]](repeating: [0, 0, 0, 0, 0, 0], count: 3))).render()
        let prefix = "data:image/png;base64,"
        let start = try #require(svg.range(of: prefix))
        let base64 = svg[start.upperBound...].prefix { $0 != "\"" }
        let png = try #require(Data(base64Encoded: String(base64)))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR width and height: 2 columns × (3 + 1) + 1 = 9 wide, 2 rows × (2 + 1) + 1 = 7 high.
        let bytes = Array(png)
        #expect(bytes[16..<20] == [0, 0, 0, 9] && bytes[20..<24] == [0, 0, 0, 7])
    }

    @Test func badImageGridRendersAMessageNotACrash() {
        let svg = SVGImageGrid(spec: ImageGridSpec(title: "bad", height: 2, width: 2, columns: 1, images: [[1, 2, 3]])).render()
        #expect(svg.contains("cannot be drawn") && isWellFormedXML(svg))
    }

    @Test func folderAccumulatesRecordsAndRebuildsTheReport() throws {
        let folder = ReportFolder(FileManager.default.temporaryDirectory.appendingPathComponent("report-test-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: folder.url) }
        try folder.write(ClaimRecord(result: sampleResult(id: "C2", verdict: .doesNotHold), run: RunInfo(seed: 3, quick: true, scoreKitVersion: "9.9", seconds: 1.25)))
        try folder.write(ClaimRecord(result: sampleResult(id: "K1", verdict: .partlyHolds), run: RunInfo(seed: 3, quick: false, scoreKitVersion: "9.9", seconds: 2)))
        try Data("{\"not\": \"a record\"}".utf8).write(to: folder.url.appendingPathComponent("other.json"))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.recordURL(id: "C2"))) as? [String: Any])
        for key in ["id", "paper", "claim", "verdict", "numbers", "criterion", "config", "seed", "scoreKitVersion", "seconds", "figures"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["verdict"] as? String == "does not hold" && json["seed"] as? Int == 3)
        #expect((json["numbers"] as? [String: Any])?["inf"] as? String == "inf")

        let records = try folder.records()
        #expect(records.map(\.result.id) == ["C2", "K1"])
        #expect(records[0].result.numbers["a"] == 1.5 && records[0].result.numbers["nan"]?.isNaN == true)
        #expect(records[1].run.seconds == 2 && !records[1].run.quick && records[1].run.scoreKitVersion == "9.9")

        let url = try folder.writeReport(order: ["K1", "C1", "C2"])
        let html = try String(contentsOf: url, encoding: .utf8)
        let k1 = try #require(html.range(of: "id=\"claim-K1\"")), c2 = try #require(html.range(of: "id=\"claim-C2\""))
        #expect(k1.lowerBound < c2.lowerBound)
        #expect(html.contains("verdict partly-holds") && html.contains("verdict does-not-hold"))
        #expect(!html.contains("<with>") && html.contains("claim C2 &lt;with&gt;"))
        // Self-contained: no scripts, nothing fetched.
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))
        // Every inline SVG is well-formed XML.
        let svgs = html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + ($0.components(separatedBy: "</svg>").first ?? "") + "</svg>" }
        #expect(svgs.count == 4)
        #expect(svgs.allSatisfy(isWellFormedXML))
    }

    @Test func aBrokenRecordIsAnErrorNotSkipped() throws {
        let folder = ReportFolder(FileManager.default.temporaryDirectory.appendingPathComponent("report-test-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: folder.url) }
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        try Data("{\"id\": \"C9\", \"verdict\": \"maybe\"}".utf8).write(to: folder.recordURL(id: "C9"))
        #expect(throws: ReportError.self) { try folder.records() }
    }
}
