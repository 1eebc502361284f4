/// The single-step DPM-Solver updates of order 1–3 in noise prediction (Lu et al. 2022,
/// "DPM-Solver", Alg. 1 (DPM-Solver-2) and Alg. 2 (DPM-Solver-3)), as k-diffusion's `DPMSolver`
/// class writes them: time t = −log σ, ε̂(x, t) = (x − D(x; e^{−t}))/e^{−t}.
///
/// A step from t to t_next caches its ε̂ evaluations (`eps`, `eps_r1`, `eps_r2` in k-diffusion), so
/// an embedded pair (1,2) or (2,3) with the same first nodes costs no extra evaluations.
struct DPMSolverStep<D: Denoiser> {
    typealias Scalar = D.Scalar
    let model: SamplingModel<D>
    let x: Matrix<Scalar>
    let t: Scalar
    let tNext: Scalar
    private(set) var eps: Matrix<Scalar>?
    private var epsR1: Matrix<Scalar>?
    private var epsR2: Matrix<Scalar>?

    init(model: SamplingModel<D>, x: Matrix<Scalar>, t: Scalar, tNext: Scalar) {
        self.model = model
        self.x = x
        self.t = t
        self.tNext = tNext
    }

    var h: Scalar { tNext - t }

    /// σ(t) = e^{−t}.
    static func sigma(_ t: Scalar) -> Scalar { Scalar.exp(-t) }

    /// ε̂ at the step's start, evaluated once. Also gives D = x − σ(t) ε̂ for the observer.
    mutating func epsilonAtStart() throws -> Matrix<Scalar> {
        if let eps { return eps }
        let e = try epsilon(x, at: t)
        eps = e
        return e
    }

    private func epsilon(_ u: Matrix<Scalar>, at s: Scalar) throws -> Matrix<Scalar> {
        let sigma = Self.sigma(s)
        let denoised = try model(u, sigma)
        return u.linearCombination(1 / sigma, -1 / sigma, denoised)
    }

    /// DPM-Solver-1 (DDIM): x − σ(t_next)(e^h − 1) ε̂.
    mutating func first() throws -> Matrix<Scalar> {
        let eps = try epsilonAtStart()
        return x.linearCombination(1, -Self.sigma(tNext) * Scalar.expMinusOne(h), eps)
    }

    /// u₁ = x − σ(s₁)(e^{r₁h} − 1) ε̂, s₁ = t + r₁h, and its ε̂ (cached as k-diffusion's `eps_r1`).
    private mutating func epsilonAtFirstNode(r1: Scalar) throws -> Matrix<Scalar> {
        if let epsR1 { return epsR1 }
        let eps = try epsilonAtStart()
        let s1 = t + r1 * h
        let u1 = x.linearCombination(1, -Self.sigma(s1) * Scalar.expMinusOne(r1 * h), eps)
        let e = try epsilon(u1, at: s1)
        epsR1 = e
        return e
    }

    /// DPM-Solver-2 (Alg. 1): x − σ(t_next)(e^h − 1) ε̂ − σ(t_next)/(2r₁) (e^h − 1)(ε̂(u₁, s₁) − ε̂).
    mutating func second(r1: Scalar = 1 / 2) throws -> Matrix<Scalar> {
        let eps = try epsilonAtStart()
        let eps1 = try epsilonAtFirstNode(r1: r1)
        let sn = Self.sigma(tNext)
        let e = Scalar.expMinusOne(h)
        var out = x.linearCombination(1, -sn * e, eps)
        out.axpy(-sn / (2 * r1) * e, eps1 - eps)
        return out
    }

    /// DPM-Solver-3 (Alg. 2) with nodes r₁ = 1/3, r₂ = 2/3.
    mutating func third(r1: Scalar = 1 / 3, r2: Scalar = 2 / 3) throws -> Matrix<Scalar> {
        let eps = try epsilonAtStart()
        let eps1 = try epsilonAtFirstNode(r1: r1)
        let eps2: Matrix<Scalar>
        if let epsR2 {
            eps2 = epsR2
        } else {
            let s2 = t + r2 * h
            let sigma2 = Self.sigma(s2)
            let e2 = Scalar.expMinusOne(r2 * h)
            var u2 = x.linearCombination(1, -sigma2 * e2, eps)
            u2.axpy(-sigma2 * (r2 / r1) * (e2 / (r2 * h) - 1), eps1 - eps)
            eps2 = try epsilon(u2, at: s2)
            epsR2 = eps2
        }
        let sn = Self.sigma(tNext)
        let e = Scalar.expMinusOne(h)
        var out = x.linearCombination(1, -sn * e, eps)
        out.axpy(-sn / r2 * (e / h - 1), eps2 - eps)
        return out
    }
}
