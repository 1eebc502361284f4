/// The report's building blocks for other self-contained pages (`scorekit demo`'s page), so that
/// there is one renderer: figures as inline SVG exactly as in the report, its stylesheet, and
/// text escaping for HTML.
public enum ReportParts {
    /// The figure as inline SVG; `id` must be unique within the page (it names the clip path).
    public static func svg(_ figure: Figure, id: String) -> String {
        switch figure {
        case .plot(let plot): return SVGPlot(spec: plot, idPrefix: id).render()
        case .imageGrid(let grid): return SVGImageGrid(spec: grid).render()
        }
    }

    /// The report's CSS (tables, figures, verdict badges).
    public static var style: String { ReportHTML.style }

    /// `text` with `&`, `<`, `>` and quotes escaped.
    public static func escape(_ text: String) -> String { XML.escape(text) }
}
