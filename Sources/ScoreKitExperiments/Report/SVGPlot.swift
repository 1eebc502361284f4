/// Renders a `PlotSpec` as a self-contained inline SVG: frame, grid and ticks, axis labels,
/// title, one colour per series (line, points or both), dashed reference markers and a legend
/// to the right of the plot area. Values an axis cannot show (non-finite; ≤ 0 on a log axis) are
/// left out and break a line.
struct SVGPlot {
    let spec: PlotSpec
    /// Makes the clip-path id unique within an HTML page holding several figures.
    let idPrefix: String

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
    static let maxLegendEntries = 12

    private let width = 720.0, height = 420.0
    private let left = 78.0, top = 40.0, bottom = 58.0

    private var hasLegend: Bool { spec.series.contains { !$0.label.isEmpty } }
    private var right: Double { hasLegend ? 190 : 24 }

    func render() -> String {
        var (xAxis, yAxis) = axes()
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        if spec.equalAspect {
            // Equal data units per pixel: widen the axis whose units are coarser than the other's.
            let unit = max((xAxis.high - xAxis.low) / plotWidth, (yAxis.high - yAxis.low) / plotHeight)
            xAxis = xAxis.widened(to: unit * plotWidth)
            yAxis = yAxis.widened(to: unit * plotHeight)
        }
        let px = { (t: Double) in left + xAxis.fraction(t) * plotWidth }
        let py = { (t: Double) in top + (1 - yAxis.fraction(t)) * plotHeight }
        let clip = "\(idPrefix)-clip"
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(XML.number(width)) \(XML.number(height))" width="\(XML.number(width))" height="\(XML.number(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <defs><clipPath id="\(clip)"><rect x="\(XML.number(left))" y="\(XML.number(top))" width="\(XML.number(plotWidth))" height="\(XML.number(plotHeight))"/></clipPath></defs>
        <rect x="0" y="0" width="\(XML.number(width))" height="\(XML.number(height))" fill="#ffffff"/>
        <text x="\(XML.number(left + plotWidth / 2))" y="22" text-anchor="middle" font-size="14" font-weight="bold">\(XML.escape(spec.title))</text>

        """
        for (t, label) in xAxis.ticks() {
            let x = XML.number(px(t))
            s += "<line x1=\"\(x)\" y1=\"\(XML.number(top))\" x2=\"\(x)\" y2=\"\(XML.number(top + plotHeight))\" stroke=\"#e6e6e6\"/>"
            s += "<line x1=\"\(x)\" y1=\"\(XML.number(top + plotHeight))\" x2=\"\(x)\" y2=\"\(XML.number(top + plotHeight + 5))\" stroke=\"#333\"/>"
            s += "<text x=\"\(x)\" y=\"\(XML.number(top + plotHeight + 18))\" text-anchor=\"middle\">\(XML.escape(label))</text>\n"
        }
        for (t, label) in yAxis.ticks() {
            let y = XML.number(py(t))
            s += "<line x1=\"\(XML.number(left))\" y1=\"\(y)\" x2=\"\(XML.number(left + plotWidth))\" y2=\"\(y)\" stroke=\"#e6e6e6\"/>"
            s += "<line x1=\"\(XML.number(left - 5))\" y1=\"\(y)\" x2=\"\(XML.number(left))\" y2=\"\(y)\" stroke=\"#333\"/>"
            s += "<text x=\"\(XML.number(left - 8))\" y=\"\(y)\" dy=\"0.35em\" text-anchor=\"end\">\(XML.escape(label))</text>\n"
        }
        s += "<g clip-path=\"url(#\(clip))\">\n"
        for (i, series) in spec.series.enumerated() {
            s += seriesMarkup(series, colour: colour(ofSeries: i), xAxis: xAxis, yAxis: yAxis, px: px, py: py)
        }
        for marker in spec.markers { s += markerMarkup(marker, xAxis: xAxis, yAxis: yAxis, px: px, py: py) }
        s += "</g>\n"
        s += "<rect x=\"\(XML.number(left))\" y=\"\(XML.number(top))\" width=\"\(XML.number(plotWidth))\" height=\"\(XML.number(plotHeight))\" fill=\"none\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(XML.number(left + plotWidth / 2))\" y=\"\(XML.number(height - 14))\" text-anchor=\"middle\" font-size=\"13\">\(XML.escape(spec.xLabel))</text>\n"
        s += "<text transform=\"translate(18 \(XML.number(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(XML.escape(spec.yLabel))</text>\n"
        if hasLegend { s += legendMarkup(x: left + plotWidth + 14) }
        return s + "</svg>"
    }

    /// Both axes from every finite series value and every marker.
    private func axes() -> (AxisScale, AxisScale) {
        var xs = spec.series.flatMap(\.x), ys = spec.series.flatMap(\.y)
        for m in spec.markers {
            switch m.axis {
            case .x: xs.append(m.value)
            case .y: ys.append(m.value)
            }
        }
        return (AxisScale(scale: spec.xScale, values: xs), AxisScale(scale: spec.yScale, values: ys))
    }

    private func seriesMarkup(_ series: PlotSpec.Series, colour: String, xAxis: AxisScale, yAxis: AxisScale,
                              px: (Double) -> Double, py: (Double) -> Double) -> String {
        // Runs of consecutive showable points; a point the axes cannot show ends a run.
        var runs: [[(Double, Double)]] = [[]]
        for (x, y) in zip(series.x, series.y) {
            if let tx = xAxis.transform(x), let ty = yAxis.transform(y) {
                runs[runs.count - 1].append((px(tx), py(ty)))
            } else if !(runs.last?.isEmpty ?? true) {
                runs.append([])
            }
        }
        var s = ""
        if series.style != .points {
            for run in runs where run.count >= 2 {
                let points = run.map { "\(XML.number($0.0)),\(XML.number($0.1))" }.joined(separator: " ")
                s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\" stroke-linejoin=\"round\"/>\n"
            }
        }
        if series.style != .line {
            let count = runs.reduce(0) { $0 + $1.count }
            let radius = count > 400 ? 1.4 : (series.style == .points ? 2.6 : 2.2)
            s += "<g fill=\"\(colour)\">"
            for (x, y) in runs.joined() { s += "<circle cx=\"\(XML.number(x))\" cy=\"\(XML.number(y))\" r=\"\(radius)\"/>" }
            s += "</g>\n"
        }
        return s
    }

    private func markerMarkup(_ marker: PlotSpec.Marker, xAxis: AxisScale, yAxis: AxisScale,
                              px: (Double) -> Double, py: (Double) -> Double) -> String {
        let plotRight = width - right, plotBottom = height - bottom
        let style = "stroke=\"#555\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\""
        switch marker.axis {
        case .x:
            guard let t = xAxis.transform(marker.value) else { return "" }
            let x = XML.number(px(t))
            return "<line x1=\"\(x)\" y1=\"\(XML.number(top))\" x2=\"\(x)\" y2=\"\(XML.number(plotBottom))\" \(style)/>"
                + "<text x=\"\(x)\" y=\"\(XML.number(top + 14))\" dx=\"4\" fill=\"#333\" font-size=\"11\">\(XML.escape(marker.label))</text>\n"
        case .y:
            guard let t = yAxis.transform(marker.value) else { return "" }
            let y = XML.number(py(t))
            return "<line x1=\"\(XML.number(left))\" y1=\"\(y)\" x2=\"\(XML.number(plotRight))\" y2=\"\(y)\" \(style)/>"
                + "<text x=\"\(XML.number(plotRight - 4))\" y=\"\(y)\" dy=\"-4\" text-anchor=\"end\" fill=\"#333\" font-size=\"11\">\(XML.escape(marker.label))</text>\n"
        }
    }

    /// Series with the same label are one group (e.g. many "trajectory" curves): one colour and
    /// one legend entry per group, in order of first appearance.
    private func colour(ofSeries i: Int) -> String {
        let label = spec.series[i].label
        let group = label.isEmpty ? i : (spec.series.firstIndex { $0.label == label } ?? i)
        let ordinal = Set(spec.series[..<group].map(\.label)).count
        return SVGPlot.palette[ordinal % SVGPlot.palette.count]
    }

    private func legendMarkup(x: Double) -> String {
        var seen = Set<String>()
        let labelled = spec.series.enumerated().filter { !$0.element.label.isEmpty && seen.insert($0.element.label).inserted }
        var s = "<g font-size=\"11\">"
        for (row, (i, series)) in labelled.prefix(SVGPlot.maxLegendEntries).enumerated() {
            let y = top + 8 + Double(row) * 18
            let colour = colour(ofSeries: i)
            if series.style != .points {
                s += "<line x1=\"\(XML.number(x))\" y1=\"\(XML.number(y))\" x2=\"\(XML.number(x + 20))\" y2=\"\(XML.number(y))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            }
            if series.style != .line { s += "<circle cx=\"\(XML.number(x + 10))\" cy=\"\(XML.number(y))\" r=\"3\" fill=\"\(colour)\"/>" }
            s += "<text x=\"\(XML.number(x + 26))\" y=\"\(XML.number(y))\" dy=\"0.35em\">\(XML.escape(SVGPlot.shortened(series.label)))</text>"
        }
        if labelled.count > SVGPlot.maxLegendEntries {
            let y = top + 8 + Double(SVGPlot.maxLegendEntries) * 18
            s += "<text x=\"\(XML.number(x))\" y=\"\(XML.number(y))\" dy=\"0.35em\">… \(labelled.count - SVGPlot.maxLegendEntries) more</text>"
        }
        return s + "</g>\n"
    }

    /// Legend labels fit the 160-pixel legend column.
    static func shortened(_ label: String) -> String { label.count > 26 ? String(label.prefix(25)) + "…" : label }
}
