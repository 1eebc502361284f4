import Foundation
import ScoreKitIO

extension TrajectoryRecord {
    /// A record from its parts, checked: T σ values, T states and T denoised batches, all B × d.
    public init(sigmas: [Scalar], states: [Matrix<Scalar>], denoised: [Matrix<Scalar>], nfe: Int) throws(TrajectoryError) {
        guard !states.isEmpty, states.count == sigmas.count, denoised.count == sigmas.count else {
            throw .shapeChanged("\(sigmas.count) σ values, \(states.count) states and \(denoised.count) denoised batches")
        }
        let (b, d) = (states[0].rows, states[0].columns)
        guard (states + denoised).allSatisfy({ $0.rows == b && $0.columns == d }) else {
            throw .shapeChanged("every state and denoised batch must be \(b)×\(d)")
        }
        self.init(sigmas: sigmas, x: states, denoised: denoised, nfe: nfe)
    }

    /// Reads the DESIGN.md `.npz` layout: `sigmas` (T), `x` and `denoised` (T × B × d), `nfe`.
    public init(contentsOf url: URL) throws {
        let arrays = try NPZ.read(contentsOf: url)
        let names = ["sigmas", "x", "denoised", "nfe"]
        func array(_ name: String) throws(IOError) -> NDArray { try arrays.required(name, in: url.path, expected: names) }
        let nfe = try array("nfe").scalars(as: Double.self).first.map { Int($0) } ?? 0
        try self.init(sigmas: try array("sigmas").scalars(as: Scalar.self), states: try array("x").slices(as: Scalar.self),
                      denoised: try array("denoised").slices(as: Scalar.self), nfe: nfe)
    }

    /// Writes the `.npz` layout atomically.
    public func write(to url: URL) throws(IOError) {
        let shape = [sigmas.count, rows, columns]
        try NPZ.write([
            NamedArray("sigmas", NDArray(shape: [sigmas.count], scalars: sigmas)),
            NamedArray("x", NDArray(shape: shape, scalars: xTensor)),
            NamedArray("denoised", NDArray(shape: shape, scalars: denoisedTensor)),
            NamedArray("nfe", NDArray(shape: [], storage: .int64([Int64(nfe)]))),
        ], to: url)
    }
}
