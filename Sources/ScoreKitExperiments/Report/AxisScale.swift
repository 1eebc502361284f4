import Foundation

/// One plot axis: the data domain mapped onto a pixel range, linearly or in log₁₀, with "nice"
/// tick positions (1, 2, 5 × 10ᵏ steps; decades on log axes) and compact tick labels.
struct AxisScale {
    let scale: PlotSpec.Scale
    /// The domain in transformed units (log₁₀ of the data on a log axis).
    let low: Double
    let high: Double

    /// The axis covering `values` (finite, and positive on a log axis), padded by 4 % on each
    /// side; an empty or single-valued set gets a unit-wide domain around it.
    init(scale: PlotSpec.Scale, values: [Double]) {
        self.scale = scale
        let t = values.compactMap { AxisScale.transform($0, scale) }
        var lo = t.min() ?? 0, hi = t.max() ?? 1
        if hi - lo < 1e-12 * max(1, abs(lo)) { (lo, hi) = (lo - 0.5, hi + 0.5) }
        let pad = 0.04 * (hi - lo)
        (low, high) = (lo - pad, hi + pad)
    }

    init(scale: PlotSpec.Scale, low: Double, high: Double) {
        self.scale = scale
        self.low = low
        self.high = high
    }

    /// The value in transformed units, or nil where the axis cannot show it (non-finite, or ≤ 0 on a log axis).
    static func transform(_ v: Double, _ scale: PlotSpec.Scale) -> Double? {
        guard v.isFinite else { return nil }
        switch scale {
        case .linear: return v
        case .log: return v > 0 ? log10(v) : nil
        }
    }

    func transform(_ v: Double) -> Double? { AxisScale.transform(v, scale) }

    /// The fraction 0…1 of the way from `low` to `high` of a transformed value.
    func fraction(_ t: Double) -> Double { (t - low) / (high - low) }

    /// The same axis with its domain widened about its centre to `width` transformed units.
    func widened(to width: Double) -> AxisScale {
        let mid = (low + high) / 2
        return AxisScale(scale: scale, low: mid - width / 2, high: mid + width / 2)
    }

    /// Tick positions (in transformed units) inside the domain and their labels.
    func ticks() -> [(position: Double, label: String)] {
        switch scale {
        case .linear:
            return AxisScale.niceTicks(low, high).map { ($0, AxisScale.label($0)) }
        case .log:
            let first = Int(ceil(low - 1e-9)), last = Int(floor(high + 1e-9))
            if last - first >= 2 {
                let stride = max(1, (last - first + 7) / 8)
                return Swift.stride(from: first, through: last, by: stride).map { (Double($0), AxisScale.powerLabel($0)) }
            }
            // Less than ~two decades: 1-2-5 mantissas, or linear ticks on the data values.
            let candidates = (first - 1...last + 1).flatMap { k in [1.0, 2.0, 5.0].map { log10($0) + Double(k) } }
            let inside = candidates.filter { $0 >= low - 1e-9 && $0 <= high + 1e-9 }
            if inside.count >= 3 { return inside.map { ($0, AxisScale.label(pow(10, $0))) } }
            return AxisScale.niceTicks(pow(10, low), pow(10, high)).filter { $0 > 0 }.map { (log10($0), AxisScale.label($0)) }
        }
    }

    /// About five to eight multiples of a 1-2-5 step inside [lo, hi].
    static func niceTicks(_ lo: Double, _ hi: Double) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / 6
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = ceil(lo / step - 1e-9), last = floor(hi / step + 1e-9)
        guard last >= first else { return [] }
        return (0...Int(last - first)).map { (first + Double($0)) * step }.map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// A short label: plain decimals for moderate magnitudes, otherwise mantissa and exponent.
    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e-3 && a < 1e5 {
            var s = String(format: "%.6g", v)
            if s.contains("e") { s = String(format: "%.3f", v) }
            return s
        }
        let e = Int(floor(log10(a)))
        let m = v / pow(10, Double(e))
        let mantissa = String(format: "%.3g", m)
        return mantissa == "1" ? powerLabel(e) : mantissa + "×" + powerLabel(e)
    }

    /// 10 with a superscript exponent, e.g. 10⁻³.
    static func powerLabel(_ e: Int) -> String {
        if e == 0 { return "1" }
        if e == 1 { return "10" }
        let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return "10" + String(String(e).map { digits[$0] ?? $0 })
    }
}
