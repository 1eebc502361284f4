import Foundation
import ScoreKit

/// `out/demo/index.html`: one self-contained page (inline SVG and CSS, PNGs as base64, no
/// scripts, no network) with each data set's loss curves, samples and the comparison with the
/// exact empirical denoiser, drawn by the report's renderer (`ReportParts`).
struct DemoPage {
    let ring: DemoRun
    let digits: DemoRun
    let seconds: Double
    /// The reproduce report, relative to the page (nil when no claim was run).
    let reproduceReport: String?

    /// The sample panels of each data set: the trained model with every sampler, the exact denoiser with the first.
    static var panels: [(model: String, sampler: String)] {
        DemoRun.samplers.map { (DemoRun.trainedName, $0.name.rawValue) } + [(DemoRun.exactName, DemoRun.samplers[0].name.rawValue)]
    }

    /// Two plots per row (the report shows one); image grids (SVG without a viewBox) at their own size.
    static let style = "figure{width:calc(50% - 16px);margin:6px 4px}figure svg{width:100%;height:auto}"
        + "figure.grid{width:auto}figure.grid svg{width:auto}"

    func render() -> String {
        let e = ReportParts.escape
        var s = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>ScoreKit demo</title><style>\(ReportParts.style)\(Self.style)</style></head><body>
        <h1>ScoreKit demo</h1>
        <p class="meta">ScoreKit \(e(ScoreKitVersion.string)), BLAS \(e(NumericsBackend.blasCore)), kernels \(e(NumericsBackend.kernelISA)); \(String(format: "%.0f", seconds)) s for training, sampling and scoring both models.</p>
        <p>Two small EDM-preconditioned MLP denoisers are trained from scratch on the CPU by denoising score matching (log-normal σ, EDM weighting, Adam, EMA), one on a ring of 8 Gaussians in 2-D and one on the 8×8 handwritten digits; 10 % of each data set is held out. Each model is sampled with three samplers at the same budget of 35 denoiser evaluations, next to the <b>exact empirical denoiser</b> of the same training rows — the optimal denoiser of the training set, which can only reproduce training points (it memorises). The trained network generalises instead: its samples lie on the data distribution but are new points.</p>

        """
        s += section(ring, title: "Ring of 8 Gaussians (2-D)", pictures: Self.scatterPlots(ring).map(\.figure))
        s += section(digits, title: "Handwritten digits (8×8 pixels, 64-D)", pictures: digitGrids(digits))
        if let reproduceReport {
            s += "<h2>Paper claims</h2>\n<p>A quick subset of <code>scorekit reproduce</code> ran after the demo: <a href=\"\(e(reproduceReport))\">\(e(reproduceReport))</a> (verdicts, numbers and figures).</p>\n"
        }
        return s + "</body></html>\n"
    }

    private func section(_ run: DemoRun, title: String, pictures: [Figure]) -> String {
        let e = ReportParts.escape
        let last = run.curve.points.last { $0.heldOutLoss.isFinite }
        var s = "<h2>\(e(title))</h2>\n<p>\(run.training.rows) training rows, \(run.heldOut.rows) held out; \(run.trainer.step) steps of batch \(run.trainer.configuration.batchSize) in \(String(format: "%.1f", run.trainSeconds)) s"
        if let last {
            s += String(format: "; final loss at fixed σ and noise (EMA model): held-out %.4f, training rows %.4f", last.heldOutLoss, last.trainEvalLoss)
        }
        s += ".</p>\n"
        let figures = [lossCurve(run)] + pictures
        for (k, figure) in figures.enumerated() {
            let grid = if case .imageGrid = figure { " class=\"grid\"" } else { "" }
            s += "<figure\(grid)>\(ReportParts.svg(figure, id: "\(run.name)-\(k)"))</figure>\n"
        }
        s += "<p><span class=\"label\">Comparison.</span> MMD, FD (Fréchet distance), precision and recall against \(run.name == "ring8" ? "fresh samples of the true ring distribution" : "all 1,797 digits"); <i>memorised</i> is the share of samples that copy a training row, <i>NN distance</i> the mean distance to the nearest training row.</p>\n"
        s += "<table><tr>" + DemoRun.tableHeader.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for row in run.tableRows {
            s += "<tr>" + row.enumerated().map { $0 < 2 ? "<td>\(e($1))</td>" : "<td class=\"num\">\(e($1))</td>" }.joined() + "</tr>\n"
        }
        return s + "</table>\n"
    }

    /// Training loss (batch means every 10 steps) and the EMA model's loss at fixed σ and noise on
    /// the held-out rows and on as many training rows.
    private func lossCurve(_ run: DemoRun) -> Figure {
        func series(_ label: String, _ value: (LossCurve.Point) -> Double, style: PlotSpec.Style) -> PlotSpec.Series {
            let points = run.curve.points.filter { value($0).isFinite }
            return PlotSpec.Series(label: label, x: points.map { Double($0.step) }, y: points.map(value), style: style)
        }
        return .plot(PlotSpec(
            title: "\(run.name): loss during training (EMA rows: fixed σ and noise)", xLabel: "step", yLabel: "weighted denoising loss", yScale: .log,
            series: [series("training batches", \.loss, style: .line),
                     series("held-out rows (EMA)", \.heldOutLoss, style: .linePoints),
                     series("training rows (EMA)", \.trainEvalLoss, style: .linePoints)]))
    }

    /// Training data under each sampler's samples of the trained model, and the exact denoiser's
    /// (Heun), each named `<model>_<sampler>`.
    static func scatterPlots(_ run: DemoRun) -> [(name: String, figure: Figure)] {
        let data = PlotSpec.Series(label: "training data", x: column(run.training, 0), y: column(run.training, 1), style: .points)
        var figures = [(name: String, figure: Figure)]()
        for (model, sampler) in panels {
            guard let s = run.samples(model: model, sampler: sampler) else { continue }
            figures.append((DemoRun.fileName(model: model, sampler: sampler), .plot(PlotSpec(
                title: "\(model), \(sampler) (\(s.nfe) NFE)", xLabel: "x₁", yLabel: "x₂",
                series: [data, PlotSpec.Series(label: "samples", x: column(s.x, 0), y: column(s.x, 1), style: .points)],
                equalAspect: true))))
        }
        return figures
    }

    /// Digit grids: training digits, the trained model's samples per sampler, the exact denoiser's (Heun).
    private func digitGrids(_ run: DemoRun) -> [Figure] {
        func grid(_ title: String, _ x: Matrix<Float>) -> Figure {
            .imageGrid(ImageGridSpec(title: title, height: 8, width: 8, columns: 10,
                                     images: (0..<min(100, x.rows)).map { x.row($0).map(Double.init) }))
        }
        var figures = [grid("training digits", run.training)]
        for (model, sampler) in Self.panels {
            if let s = run.samples(model: model, sampler: sampler) { figures.append(grid("\(model), \(sampler)", s.x)) }
        }
        return figures
    }

    private static func column(_ m: Matrix<Float>, _ j: Int) -> [Double] { (0..<m.rows).map { Double(m[$0, j]) } }
}
