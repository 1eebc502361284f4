import Foundation
import ScoreKitIO

/// Renders an `ImageGridSpec` as inline SVG: the images tiled into one greyscale PNG (one pixel
/// of padding between images), embedded as a data URI and scaled up with square pixels.
struct SVGImageGrid {
    let spec: ImageGridSpec

    func render() -> String {
        let title = "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(XML.escape(spec.title))</text>"
        let h = spec.height, w = spec.width
        let valid = h > 0 && w > 0 && spec.columns > 0 && !spec.images.isEmpty && spec.images.allSatisfy { $0.count == h * w }
        guard valid, let png = tiledPNG() else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"48\" font-family=\"Helvetica, Arial, sans-serif\">\(title)"
                + "<text x=\"0\" y=\"38\" font-size=\"12\" fill=\"#a00\">(\(spec.images.count) images of \(h)×\(w) pixels in \(spec.columns) columns cannot be drawn)</text></svg>"
        }
        let scale = Double(max(2, 48 / max(h, w)))
        let width = Double(png.width) * scale, height = Double(png.height) * scale
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(XML.number(max(width, 240)))" height="\(XML.number(height + 28))" font-family="Helvetica, Arial, sans-serif">\(title)<image x="0" y="26" width="\(XML.number(width))" height="\(XML.number(height))" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,\(png.data.base64EncodedString())"/></svg>
        """
    }

    /// The grid as one PNG: values mapped linearly from `range` onto 0…255 (clamped; non-finite
    /// values black), padding mid-grey so that black backgrounds stay separated.
    private func tiledPNG() -> (data: Data, width: Int, height: Int)? {
        let rows = (spec.images.count + spec.columns - 1) / spec.columns
        let columns = min(spec.columns, spec.images.count)
        let width = columns * (spec.width + 1) + 1, height = rows * (spec.height + 1) + 1
        var pixels = [UInt8](repeating: 128, count: width * height)
        let span = spec.range.upperBound - spec.range.lowerBound
        for (k, image) in spec.images.enumerated() {
            let left = (k % spec.columns) * (spec.width + 1) + 1, top = (k / spec.columns) * (spec.height + 1) + 1
            for y in 0..<spec.height {
                for x in 0..<spec.width {
                    let v = image[y * spec.width + x]
                    let t = span > 0 && v.isFinite ? (v - spec.range.lowerBound) / span * 255 : 0
                    pixels[(top + y) * width + left + x] = UInt8(min(255, max(0, t.rounded())))
                }
            }
        }
        guard let data = try? PNG.encodeGreyscale(pixels, width: width, height: height) else { return nil }
        return (data, width, height)
    }
}
