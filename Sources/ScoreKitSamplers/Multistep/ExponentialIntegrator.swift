/// The pieces shared by the exponential-integrator samplers (DPM-Solver, DPM-Solver++, UniPC),
/// written in VE variables: α = 1 and the half log-SNR λ = −log σ (Lu et al. 2022, §3.1).
enum ExponentialIntegrator {
    /// λ(σ) = −log σ, with λ(0) = +∞ so that a step to σ = 0 has h = ∞ and e^{−h} = 0.
    @inlinable
    static func lambda<Scalar: MatrixScalar>(_ sigma: Scalar) -> Scalar {
        sigma > 0 ? -Scalar.log(sigma) : .infinity
    }

    /// φ_k(z) = Σ_{j≥0} z^j/(j+k)!  (φ_0 = e^z, φ_{k+1}(z) = (φ_k(z) − 1/k!)/z).
    ///
    /// The series is summed for |z| < 1, where the recurrence would cancel catastrophically;
    /// elsewhere the recurrence from e^z is accurate.
    static func phi<Scalar: MatrixScalar>(_ k: Int, _ z: Scalar) -> Scalar {
        if abs(z) < 1 {
            var term = 1 / Scalar(factorial(k))
            var total = term
            var j = 0
            while true {
                j += 1
                term = term * z / Scalar(j + k)
                let next = total + term
                if next == total { return total }
                total = next
            }
        }
        var p = Scalar.exp(z)
        for m in 0..<k { p = (p - 1 / Scalar(factorial(m))) / z }
        return p
    }

    static func factorial(_ n: Int) -> Int { n <= 1 ? 1 : (2...n).reduce(1, *) }

    /// Solves the small dense system A a = b (A is m × m, row-major rows) by Gaussian elimination
    /// with partial pivoting. Used for UniPC's Vandermonde systems (m ≤ 3), which are
    /// nonsingular because their nodes r_k are distinct.
    static func solve<Scalar: MatrixScalar>(_ a: [[Scalar]], _ b: [Scalar]) -> [Scalar] {
        var a = a
        var b = b
        let m = b.count
        for col in 0..<m {
            let pivot = (col..<m).max { abs(a[$0][col]) < abs(a[$1][col]) } ?? col
            a.swapAt(col, pivot)
            b.swapAt(col, pivot)
            for row in (col + 1)..<m {
                let f = a[row][col] / a[col][col]
                for k in col..<m { a[row][k] -= f * a[col][k] }
                b[row] -= f * b[col]
            }
        }
        var x = [Scalar](repeating: 0, count: m)
        for row in stride(from: m - 1, through: 0, by: -1) {
            var s = b[row]
            for k in (row + 1)..<m { s -= a[row][k] * x[k] }
            x[row] = s / a[row][row]
        }
        return x
    }

    /// Checks a k-diffusion schedule for the multistep samplers: at least one step, finite,
    /// strictly decreasing (a repeated σ gives a zero step h and divides by zero), and positive
    /// except possibly the last value.
    static func validate<Scalar: MatrixScalar>(_ sigmas: [Scalar]) throws {
        guard sigmas.count >= 2 else {
            throw SamplingError.invalidSchedule("needs at least 2 values (one step), got \(sigmas.count)")
        }
        guard sigmas.allSatisfy({ $0.isFinite }) else { throw SamplingError.invalidSchedule("contains NaN or ±∞") }
        guard sigmas.dropLast().allSatisfy({ $0 > 0 }), sigmas[sigmas.count - 1] >= 0 else {
            throw SamplingError.invalidSchedule("σ must be positive (only the last value may be 0)")
        }
        guard zip(sigmas, sigmas.dropFirst()).allSatisfy({ $0 > $1 }) else {
            throw SamplingError.invalidSchedule("σ must be strictly decreasing")
        }
    }
}
