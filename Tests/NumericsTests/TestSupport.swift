import ScoreKitNumerics
@_exported import ScoreKitTestSupport

/// Reference product in Double with a plain triple loop.
func naiveProduct<T: MatrixScalar>(_ a: Matrix<T>, _ b: Matrix<T>) -> [Double] {
    var c = [Double](repeating: 0, count: a.rows * b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns {
        var s = 0.0
        for k in 0..<a.columns { s += Double(a[i, k]) * Double(b[k, j]) }
        c[i * b.columns + j] = s
    } }
    return c
}

func maxAbsDifference<T: MatrixScalar>(_ x: [T], _ y: [Double]) -> Double {
    zip(x, y).reduce(0) { max($0, abs(Double($1.0) - $1.1)) }
}
