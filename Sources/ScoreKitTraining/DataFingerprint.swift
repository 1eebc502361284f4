/// Identifies a training set: its shape and a 64-bit FNV-1a hash of its values (as Double bit
/// patterns, so Float data and its exact Double conversion agree). A checkpoint records it so a
/// run is not resumed on other data, which would silently break reproducibility.
public struct DataFingerprint: Codable, Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public let checksum: UInt64

    public init<Scalar: MatrixScalar>(_ data: Matrix<Scalar>) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in data.scalars {
            var bits = Double(x).bitPattern
            for _ in 0..<8 {
                h = (h ^ (bits & 0xff)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        (rows, columns, checksum) = (data.rows, data.columns, h)
    }
}
