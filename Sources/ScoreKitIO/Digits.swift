import Foundation
import ScoreKitNumerics

/// The 1,797 8×8 handwritten digits bundled with ScoreKit.
///
/// Source: scikit-learn's `sklearn/datasets/data/digits.csv.gz` (BSD-3-Clause, Copyright (c)
/// 2007-2026 The scikit-learn developers), a copy of the test set of the UCI ML "Optical
/// Recognition of Handwritten Digits" data set by E. Alpaydin and C. Kaynak (1998). Each row
/// of the file holds 64 pixel values (integers 0…16, row-major 8×8) and then the label 0…9.
/// See `Resources/README.md`.
public struct Digits<Scalar: MatrixScalar>: Sendable {
    /// One image per row, 64 values `pixel / 8 − 1` in [−1, 1] (0 → −1 background, 16 → 1 ink).
    public let images: Matrix<Scalar>
    /// The digit each image shows, 0…9.
    public let labels: [Int]

    public static var side: Int { 8 }

    /// Reads and checks the bundled resource.
    public static func load() throws(IOError) -> Digits {
        guard let url = Bundle.module.url(forResource: "digits.csv", withExtension: "gz") else {
            throw .fileNotFound(path: "digits.csv.gz (ScoreKitIO resource)")
        }
        let table: CSV.Table<Scalar> = try CSV.read(contentsOf: url)
        let pixels = side * side
        let m = table.matrix
        guard m.columns == pixels + 1, m.rows > 0 else {
            throw .sizeMismatch(path: url.path, reason: "\(m.rows) rows of \(m.columns) values, expected rows of \(pixels + 1)")
        }
        var images = [Scalar]()
        images.reserveCapacity(m.rows * pixels)
        var labels = [Int]()
        for i in 0..<m.rows {
            let row = m.row(i)
            for v in row.prefix(pixels) {
                guard v == v.rounded(), (0...16).contains(v) else {
                    throw .corruptData(path: url.path, reason: "row \(i + 1): pixel \(v) is not an integer in 0…16")
                }
                images.append(v / 8 - 1)
            }
            guard let label = row.last, label == label.rounded(), (0...9).contains(label) else {
                throw .corruptData(path: url.path, reason: "row \(i + 1): label is not an integer in 0…9")
            }
            labels.append(Int(label))
        }
        return Digits(images: Matrix(rows: m.rows, columns: pixels, scalars: images), labels: labels)
    }
}
