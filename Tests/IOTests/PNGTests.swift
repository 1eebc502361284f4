import Foundation
import Testing
import ScoreKitNumerics
import ZIPFoundation
@testable import ScoreKitIO

@Suite struct PNGTests {
    struct Chunk { let type: String; let data: Data; let crc: UInt32 }

    /// Splits a PNG into chunks after checking the signature.
    func chunks(_ png: Data) throws -> [Chunk] {
        #expect(Array(png.prefix(8)) == [137, 80, 78, 71, 13, 10, 26, 10])
        var out = [Chunk]()
        var i = 8
        while i < png.count {
            let length = Int(UInt32(bigEndian: png.le(UInt32.self, at: i)))
            let type = String(decoding: png.subdata(in: (i + 4)..<(i + 8)), as: UTF8.self)
            let data = png.subdata(in: (i + 8)..<(i + 8 + length))
            let crc = UInt32(bigEndian: png.le(UInt32.self, at: i + 8 + length))
            out.append(Chunk(type: type, data: data, crc: crc))
            i += 12 + length
        }
        #expect(i == png.count)
        return out
    }

    /// Decodes an 8-bit greyscale, filter-0 PNG with independent code: CRCs by the bitwise
    /// reference, zlib header check, raw inflate by ZIPFoundation, Adler-32 summed naively.
    func decode(_ png: Data) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let parts = try chunks(png)
        #expect(parts.map(\.type) == ["IHDR", "IDAT", "IEND"])
        for c in parts { #expect(c.crc == referenceCRC32(Data(c.type.utf8) + c.data), "CRC of \(c.type)") }
        let ihdr = parts[0].data
        let width = Int(UInt32(bigEndian: ihdr.le(UInt32.self, at: 0))), height = Int(UInt32(bigEndian: ihdr.le(UInt32.self, at: 4)))
        #expect(Array(ihdr.suffix(5)) == [8, 0, 0, 0, 0])
        let z = parts[1].data
        #expect((Int(z[0]) * 256 + Int(z[1])) % 31 == 0 && z[0] & 0x0F == 8)
        var raw = Data()
        let body = z.subdata(in: 2..<(z.count - 4))
        _ = try Data.decompress(size: Int64(body.count), bufferSize: body.count + 1024, skipCRC32: true,
                                provider: { p, n in body.subdata(in: Int(p)..<min(body.count, Int(p) + n)) + Data(count: max(0, Int(p) + n - body.count)) },
                                consumer: { raw.append($0) })
        var a = 1, b = 0
        for byte in raw { a = (a + Int(byte)) % 65521; b = (b + a) % 65521 }
        #expect(UInt32(bigEndian: z.le(UInt32.self, at: z.count - 4)) == UInt32(b << 16 | a))
        #expect(raw.count == height * (width + 1))
        var pixels = [UInt8]()
        for y in 0..<height {
            #expect(raw[y * (width + 1)] == 0)
            pixels += raw.subdata(in: (y * (width + 1) + 1)..<((y + 1) * (width + 1)))
        }
        return (width, height, pixels)
    }

    @Test func gridLayoutPaddingAndScaling() throws {
        // Three 2×3 images in a grid 2 wide with padding 1 (pad value 7): canvas 9 × 7.
        let values: [[Double]] = [[-1, 0, 1, -2, 2, 0.5], [1, 1, 1, 1, 1, 1], [-1, -0.5, 0, 0.25, .nan, 0.999]]
        let folder = try TemporaryFolder()
        try PNG.writeGrid(Matrix(rowArrays: values), imageHeight: 2, imageWidth: 3, columns: 2, padding: 1, padValue: 7,
                          to: folder.file("g.png"))
        let png = try decode(Data(contentsOf: folder.file("g.png")))
        #expect(png.width == 9 && png.height == 7)
        // Expected canvas, built pixel by pixel: value v ↦ round(255 (v + 1) / 2), clamped, NaN ↦ 0.
        func grey(_ v: Double) -> UInt8 { v.isNaN ? 0 : UInt8((255 * (min(max(v, -1), 1) + 1) / 2).rounded()) }
        var expected = [[UInt8]](repeating: [UInt8](repeating: 7, count: 9), count: 7)
        for (k, image) in values.enumerated() {
            let (gy, gx) = (k / 2, k % 2)
            for y in 0..<2 { for x in 0..<3 { expected[1 + gy * 3 + y][1 + gx * 4 + x] = grey(image[y * 3 + x]) } }
        }
        #expect(png.pixels == expected.flatMap { $0 })
        #expect(grey(-2) == 0 && grey(0) == 128 && grey(0.999) == 255)
    }

    @Test func customRangeAndDefaultColumns() throws {
        let images = Matrix<Float>(rows: 5, columns: 4) { i, j in Float(i * 4 + j) / 19 }
        let png = try decode(PNG.encodeGreyscale(
            PNG.gridPixels(images, imageHeight: 2, imageWidth: 2, columns: nil, padding: 0, padValue: 0, range: 0...1, path: "p").pixels,
            width: 6, height: 4))
        // ⌈√5⌉ = 3 columns, 2 rows; the sixth cell stays at the pad value.
        #expect(png.width == 6 && png.height == 4)
        #expect(png.pixels[0] == 0 && png.pixels[1] == UInt8((255.0 / 19).rounded()))
        #expect(png.pixels[2 * 6 + 4] == 0 && png.pixels[3 * 6 + 5] == 0)
        #expect(png.pixels[2 * 6 + 3] == UInt8((255.0 * 17 / 19).rounded()))
    }

    @Test func badArgumentsWriteNothing() throws {
        let folder = try TemporaryFolder()
        let m = Matrix<Double>(rows: 2, columns: 6)
        expectError("invalidArgument") { () throws(IOError) in try PNG.writeGrid(m, imageHeight: 2, imageWidth: 2, to: folder.file("a.png")) }
        expectError("invalidArgument") { () throws(IOError) in try PNG.writeGrid(m, imageHeight: 2, imageWidth: 3, range: 1...1, to: folder.file("b.png")) }
        expectError("invalidArgument") { () throws(IOError) in
            try PNG.writeGrid(Matrix<Double>(rows: 0, columns: 6), imageHeight: 2, imageWidth: 3, to: folder.file("c.png"))
        }
        expectError("invalidArgument") { () throws(IOError) in
            try PNG.writeGrid(m, imageHeight: 2, imageWidth: 3, padding: Int.max / 2, to: folder.file("d.png"))
        }
        expectError("invalidArgument") { () throws(IOError) in try PNG.encodeGreyscale([1, 2, 3], width: 2, height: 2) }
        #expect(folder.contents.isEmpty)
    }
}
