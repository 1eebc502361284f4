import Foundation

/// The self-contained HTML report (inline CSS and SVG, no scripts, no network): a summary table
/// of every claim (verdict coloured, key number) and, per claim, its criterion, verdict, reading,
/// measured numbers, settings and figures.
struct ReportHTML {
    let records: [ClaimRecord]
    let title: String

    static let style = """
    body{font-family:Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222;line-height:1.45}
    h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:36px;border-top:2px solid #ddd;padding-top:14px}
    table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left;vertical-align:top}
    th{background:#f2f2f2}td.num{font-family:Menlo,Consolas,monospace;text-align:right;white-space:nowrap}
    .verdict{display:inline-block;padding:2px 9px;border-radius:10px;color:#fff;font-weight:bold;white-space:nowrap}
    .holds{background:#2e7d32}.partly-holds{background:#e08a00}.does-not-hold{background:#c62828}
    .label{font-weight:bold;color:#555}.meta{color:#666;font-size:13px}
    figure{margin:14px 0;display:inline-block;vertical-align:top}figure svg{border:1px solid #eee;max-width:100%;height:auto}
    details{margin:8px 0}summary{cursor:pointer;color:#555}
    """

    func render() -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(XML.escape(title))</title><style>\(ReportHTML.style)</style></head><body>
        <h1>\(XML.escape(title))</h1>
        <p class="meta">\(records.count) claim\(records.count == 1 ? "" : "s"). Each verdict is decided by the criterion stated with the claim, fixed before running; a claim that does not hold at this scale is a result.</p>

        """
        s += summaryTable()
        for (i, record) in records.enumerated() { s += section(record, index: i) }
        return s + "</body></html>\n"
    }

    private func summaryTable() -> String {
        var s = "<table><tr><th>Claim</th><th>Paper</th><th>Verdict</th><th>Key number</th><th>Size</th><th>Time</th></tr>\n"
        for r in records {
            let res = r.result
            s += "<tr><td><a href=\"#\(anchor(res.id))\"><b>\(XML.escape(res.id))</b></a> \(XML.escape(res.claim))</td>"
            s += "<td>\(XML.escape(ReportHTML.shortName(res.paper)))</td><td>\(badge(res.verdict))</td>"
            s += "<td>\(XML.escape(res.keyNumberText))</td><td>\(r.run.quick ? "quick" : "full")</td>"
            s += "<td class=\"num\">\(String(format: "%.1f s", r.run.seconds))</td></tr>\n"
        }
        return s + "</table>\n"
    }

    private func section(_ record: ClaimRecord, index: Int) -> String {
        let r = record.result
        var s = "<h2 id=\"\(anchor(r.id))\">\(XML.escape(r.id)): \(XML.escape(r.claim))</h2>\n"
        s += "<p class=\"meta\">\(XML.escape(r.paper.rawValue))</p>\n"
        s += "<p>\(badge(r.verdict)) <span class=\"label\">Key number:</span> \(XML.escape(r.keyNumberText))</p>\n"
        s += "<p><span class=\"label\">Criterion.</span> \(XML.escape(r.criterion))</p>\n"
        s += "<p><span class=\"label\">Reading.</span> \(XML.escape(r.reading))</p>\n"
        for (k, figure) in r.figures.enumerated() {
            let svg: String
            switch figure {
            case .plot(let plot): svg = SVGPlot(spec: plot, idPrefix: "f\(index)-\(k)").render()
            case .imageGrid(let grid): svg = SVGImageGrid(spec: grid).render()
            }
            s += "<figure>\(svg)</figure>\n"
        }
        s += "<details open><summary>Measured numbers</summary><table><tr><th>name</th><th>value</th></tr>"
        for (name, value) in r.numbers.sorted(by: { $0.key < $1.key }) {
            s += "<tr><td>\(XML.escape(name))</td><td class=\"num\">\(ReportHTML.format(value))</td></tr>"
        }
        s += "</table></details>\n<details><summary>Settings</summary><table>"
        let run = record.run
        let settings = r.config.sorted { $0.key < $1.key } + [("seed", String(run.seed)), ("size", run.quick ? "quick" : "full"),
            ("ScoreKit", run.scoreKitVersion), ("finished", run.date), ("seconds", String(format: "%.2f", run.seconds))]
        for (name, value) in settings { s += "<tr><td>\(XML.escape(name))</td><td>\(XML.escape(value))</td></tr>" }
        return s + "</table></details>\n"
    }

    private func badge(_ v: Verdict) -> String {
        "<span class=\"verdict \(v.rawValue.replacingOccurrences(of: " ", with: "-"))\">\(XML.escape(v.rawValue))</span>"
    }

    private func anchor(_ id: String) -> String { "claim-" + XML.escape(id) }

    /// The paper's name before the colon, e.g. "Chen et al.".
    static func shortName(_ paper: Paper) -> String {
        String(paper.rawValue.split(separator: ":", maxSplits: 1).first ?? Substring(paper.rawValue))
    }

    /// Six significant digits, scientific outside 10⁻³…10⁶.
    static func format(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        if v == 0 || v == v.rounded() && abs(v) < 1e9 { return String(format: "%.0f", v) }
        return abs(v) >= 1e-3 && abs(v) < 1e6 ? String(format: "%.6g", v) : String(format: "%.4e", v)
    }
}
