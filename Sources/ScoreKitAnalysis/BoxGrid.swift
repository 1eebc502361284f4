extension Matrix where Scalar == Double {
    /// A side × side grid of 2-D points over the bounding box of `data`'s first two columns,
    /// widened by `margin` on every side: starts for equilibrium searches and phase portraits
    /// (papers.md §1.5 K1 "Newton … from a 50×50 grid (2-D)"). Row r is grid point (r mod side, r / side).
    public static func grid(around data: Matrix<Double>, side: Int, margin: Double = 1) -> Matrix<Double> {
        let columns = Swift.min(2, data.columns)
        let range = (0..<columns).map { j -> (Double, Double) in
            let values = (0..<data.rows).map { data[$0, j] }
            return ((values.min() ?? 0) - margin, (values.max() ?? 0) + margin)
        }
        let denominator = Double(Swift.max(side - 1, 1))
        return Matrix(rows: side * side, columns: 2) { r, j in
            guard j < columns else { return 0 }
            let t = Double(j == 0 ? r % side : r / side) / denominator
            return range[j].0 + t * (range[j].1 - range[j].0)
        }
    }
}
