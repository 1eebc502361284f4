import Foundation
import Testing
import ScoreKitNN

@Suite struct ActivationTests {
    static let points: [Double] = [-30, -6, -2.5, -1, -0.3, -1e-3, 1e-3, 0.2, 0.7, 1.5, 3, 8, 30]

    /// The formulas evaluated with libm (Foundation), independently of swift-numerics.
    static func reference(_ f: ActivationFunction, _ x: Double) -> Double {
        switch f {
        case .relu: return max(0, x)
        case .silu: return x / (1 + Foundation.exp(-x))
        case .gelu: return 0.5 * x * (1 + Foundation.erf(x / Foundation.sqrt(2)))
        case .geluTanh: return 0.5 * x * (1 + Foundation.tanh(Foundation.sqrt(2 / Double.pi) * (x + 0.044715 * x * x * x)))
        }
    }

    @Test(arguments: ActivationFunction.allCases)
    func doubleValuesMatchLibm(_ f: ActivationFunction) throws {
        let x = Matrix(row: Self.points)
        let y = try Activation<Double>(f)(x)
        for (v, p) in zip(y.scalars, Self.points) {
            let r = Self.reference(f, p)
            #expect(abs(v - r) <= 1e-14 * max(1, abs(r)), "\(f)(\(p)) = \(v), libm gives \(r)")
        }
    }

    @Test(arguments: ActivationFunction.allCases)
    func floatValuesMatchLibm(_ f: ActivationFunction) throws {
        let y = try Activation<Float>(f)(Matrix(row: Self.points.map { Float($0) }))
        for (v, p) in zip(y.scalars, Self.points) {
            let r = Self.reference(f, Double(Float(p)))
            #expect(abs(Double(v) - r) <= 1e-6 * max(1, abs(r)), "\(f)(\(p)) = \(v), libm gives \(r)")
        }
    }

    @Test func exactAndTanhGELUDifferButStayClose() {
        // The tanh form approximates Φ to about 1e-3 in absolute error of x Φ(x).
        let gaps = Self.points.map { abs(ActivationFunction.gelu.value($0) - ActivationFunction.geluTanh.value($0)) }
        #expect(gaps.max()! < 1e-3)
        #expect(gaps.max()! > 1e-5)
    }

    @Test(arguments: ActivationFunction.allCases)
    func gradientsMatchFiniteDifferences(_ f: ActivationFunction) throws {
        // Inputs away from ReLU's kink at 0.
        let x = Matrix(rows: 3, columns: 5) { i, j in Double(i * 5 + j) * 0.37 - 2.71 }
        try expectLayerGradients(Activation<Double>(f), input: x, tolerance: 1e-8)
    }

    @Test func siluIsFiniteInTheTails() throws {
        for x in [-1000.0, -80, 80, 1000] {
            #expect(ActivationFunction.silu.value(x).isFinite)
            #expect(ActivationFunction.silu.derivative(x).isFinite)
            #expect(ActivationFunction.silu.value(Float(x)).isFinite)
        }
        // The layer's SIMD-kernel path: x/(1 + e^(−x)) → −0 for x → −∞ and → x for x → +∞.
        let layer = Activation<Float>(.silu)
        let x = Matrix<Float>(row: [-1000, -90, 90, 1000])
        let (y, cache) = try layer.forward(x)
        #expect(y.scalars[0] == 0 && abs(y.scalars[1]) < 1e-30 && y.scalars[2] == 90 && y.scalars[3] == 1000)
        #expect(try layer.backward(Matrix(row: [1, 1, 1, 1]), cache: cache).input.isFinite)
    }
}
