import Foundation
import ScoreKitNumerics
import ZIPFoundation

/// 8-bit greyscale PNG writing (PNG spec, 2nd ed., ISO/IEC 15948): the signature, an IHDR chunk,
/// one IDAT chunk holding a zlib stream of the scanlines (each prefixed with filter type 0,
/// "none"), and IEND; every chunk ends with the CRC-32 of its type and data.
public enum PNG {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The PNG limit on width and height (2^31 − 1).
    static let maxSide = Int(Int32.max)

    /// Writes the images (rows of `images`, each `imageHeight · imageWidth` values in row-major
    /// order) as a grid `columns` wide (default ⌈√N⌉), with `padding` pixels of `padValue`
    /// between the images and around the border, as torchvision's `make_grid`. Values map
    /// linearly from `range` to 0…255 and are clamped (NaN is black).
    public static func writeGrid<S: MatrixScalar>(_ images: Matrix<S>, imageHeight: Int, imageWidth: Int,
                                                  columns: Int? = nil, padding: Int = 2, padValue: UInt8 = 0,
                                                  range: ClosedRange<S> = -1...1, to url: URL) throws(IOError) {
        let grid = try gridPixels(images, imageHeight: imageHeight, imageWidth: imageWidth, columns: columns,
                                  padding: padding, padValue: padValue, range: range, path: url.path)
        try AtomicFile.write(encodeGreyscale(grid.pixels, width: grid.width, height: grid.height, path: url.path), to: url)
    }

    /// The grid `writeGrid` draws, as row-major 8-bit pixels.
    static func gridPixels<S: MatrixScalar>(_ images: Matrix<S>, imageHeight h: Int, imageWidth w: Int, columns: Int?,
                                            padding: Int, padValue: UInt8, range: ClosedRange<S>,
                                            path: String) throws(IOError) -> (pixels: [UInt8], width: Int, height: Int) {
        let n = images.rows
        guard n > 0, h > 0, w > 0, padding >= 0, CheckedArithmetic.product(h, w) == images.columns else {
            throw .invalidArgument(path: path, reason: "cannot lay out \(n) images of \(images.columns) values as \(h)×\(w) with padding \(padding)")
        }
        guard range.lowerBound < range.upperBound, range.lowerBound.isFinite, range.upperBound.isFinite else {
            throw .invalidArgument(path: path, reason: "pixel range \(range) is empty or not finite")
        }
        let across = max(1, min(n, columns ?? Int(Double(n).squareRoot().rounded(.up))))
        let down = (n + across - 1) / across
        // side = k · image + (k + 1) · padding, overflow-checked
        func side(_ k: Int, _ image: Int) -> Int? {
            guard let a = CheckedArithmetic.product(k, image), let b = CheckedArithmetic.product(k + 1, padding) else { return nil }
            return CheckedArithmetic.sum(a, b)
        }
        guard let width = side(across, w), let height = side(down, h), width <= maxSide, height <= maxSide,
              let count = CheckedArithmetic.product(width, height), count <= IOLimits.standard.maxBytes else {
            throw .invalidArgument(path: path, reason: "a grid of \(down)×\(across) images of \(h)×\(w) is too large")
        }
        let lo = Double(range.lowerBound), scale = 255 / (Double(range.upperBound) - lo)
        var pixels = [UInt8](repeating: padValue, count: count)
        for k in 0..<n {
            let top = padding + (k / across) * (h + padding), left = padding + (k % across) * (w + padding)
            let image = images.row(k)
            for y in 0..<h {
                for x in 0..<w {
                    let t = (Double(image[image.startIndex + y * w + x]) - lo) * scale
                    pixels[(top + y) * width + left + x] = t > 0 ? (t < 255 ? UInt8(t.rounded()) : 255) : 0
                }
            }
        }
        return (pixels, width, height)
    }

    /// A PNG of `width × height` 8-bit grey pixels (row-major, 0 black, 255 white).
    public static func encodeGreyscale(_ pixels: [UInt8], width: Int, height: Int, path: String = "png") throws(IOError) -> Data {
        guard width > 0, height > 0, width <= maxSide, height <= maxSide, CheckedArithmetic.product(width, height) == pixels.count else {
            throw .invalidArgument(path: path, reason: "\(pixels.count) pixels do not make a \(width)×\(height) image")
        }
        var scanlines = Data(capacity: (width + 1) * height)
        for y in 0..<height {
            scanlines.append(0)                                  // filter type 0: none
            scanlines.append(contentsOf: pixels[(y * width)..<((y + 1) * width)])
        }
        var header = Data()
        for side in [width, height] { withUnsafeBytes(of: UInt32(side).bigEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: [8, 0, 0, 0, 0])  // bit depth 8, colour type 0 (grey), deflate, filter 0, no interlace
        var png = Data(signature)
        png.append(chunk("IHDR", header))
        png.append(chunk("IDAT", try Deflate.zlibCompress(scanlines, path: path)))
        png.append(chunk("IEND", Data()))
        return png
    }

    /// Length (big-endian), type, data, CRC-32 of type and data (big-endian).
    private static func chunk(_ type: String, _ data: Data) -> Data {
        var typed = Data(type.utf8)
        typed.append(data)
        var out = Data()
        withUnsafeBytes(of: UInt32(data.count).bigEndian) { out.append(contentsOf: $0) }
        out.append(typed)
        withUnsafeBytes(of: typed.crc32(checksum: 0).bigEndian) { out.append(contentsOf: $0) }
        return out
    }
}
