import Foundation
import ScoreKitIO

extension PlotSpec {
    /// The plot as a standalone SVG document (the report's renderer, `SVGPlot`), for commands
    /// that write a figure on its own (`scorekit analyze … --svg`).
    public func svgDocument() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + SVGPlot(spec: self, idPrefix: "plot").render() + "\n"
    }

    /// Writes `svgDocument()` to `url` atomically (no half-written file on failure).
    public func writeSVG(to url: URL) throws {
        try AtomicFile.write(Data(svgDocument().utf8), to: url)
    }
}
