/// Which of torch's x86-64 CPU kernels a float64 computation reproduces.
///
/// k-diffusion builds its schedules from torch tensor operations, so "bit for bit with
/// k-diffusion in float64" means "as torch's CPU kernels round". Three of them matter (read in
/// PyTorch's `RangeFactoriesKernel.cpp`, `PowKernel.cpp`, `Loops.h`, `vec256_double.h`, and
/// confirmed on torch 2.13 against millions of values, see `scripts/fixtures/`):
/// * `linspace(start, end, n)`: step = (end − start)/(n − 1); element i < n/2 is
///   `start + step·i`, the others `end − step·(n − 1 − i)`, each contracted to one FMA by the
///   compiler. This is the same on every x86-64 build.
/// * `tensor ** scalar` and `scalar ** tensor` (exponent not special-cased): SLEEF's vectorised
///   `pow` on whole blocks of two vectors from the start of the tensor, the C library's `pow` on
///   the remaining `n mod block` elements. The block is 8 doubles with AVX2 kernels and 16 with
///   AVX-512 ones; this is the only CPU-dependent part, hence this choice.
/// * `exp` and `sqrt` (also `tensor ** 0.5`) go to Intel MKL's VML (closed source, not correctly
///   rounded); ScoreKit uses the C library's, which agree except for about 0.5% (exp) and 1.3%
///   (sqrt) of arguments, where they differ by one ulp. Schedules built on them (exponential,
///   polyexponential, VP, Karras with ρ = ½) therefore match k-diffusion to about one ulp per
///   operation rather than bit for bit; the VP schedule's `exp(…) − 1` magnifies that near t = ε_s.
/// For tensors longer than torch's parallel grain (32,768 elements) torch splits the work among
/// threads and the pow blocks restart in every chunk; ScoreKit models a single chunk.
public enum TorchCPUKernels: String, Codable, CaseIterable, Sendable {
    /// AVX2 kernels (4-lane vectors): pow blocks of 8 doubles.
    case avx2
    /// AVX-512 kernels (8-lane vectors): pow blocks of 16. The machine that made the ring8
    /// k-diffusion oracles ran these, so this is the default.
    case avx512

    /// Elements per iteration of torch's vectorised loop (two vectors).
    var powBlock: Int {
        switch self {
        case .avx2: return 8
        case .avx512: return 16
        }
    }

    /// `torch.linspace(start, end, count)` in float64 (`count == 1` gives `[start]`).
    static func linspace(_ start: Double, _ end: Double, _ count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (end - start) / Double(count - 1)
        let halfway = count / 2
        return (0..<count).map { i in
            i < halfway ? start.addingProduct(step, Double(i)) : end.addingProduct(-step, Double(count - 1 - i))
        }
    }

    /// `bases ** exponent` for a float64 tensor and a Python float, with torch's special cases
    /// (`Pow.cpp`, `PowKernel.cpp`): 0 → ones, 1 → copy, 2 → b·b, 3 → b·b·b, ½ → sqrt, −½ →
    /// 1/sqrt, −1 → 1/b, −2 → 1/(b·b), anything else SLEEF/libm by blocks.
    func pow(_ bases: [Double], exponent: Double) -> [Double] {
        switch exponent {
        case 0: return bases.map { _ in 1 }
        case 1: return bases
        case 2: return bases.map { $0 * $0 }
        case 3: return bases.map { $0 * $0 * $0 }
        case 0.5: return bases.map { $0.squareRoot() }
        case -0.5: return bases.map { 1 / $0.squareRoot() }
        case -1: return bases.map { 1 / $0 }
        case -2: return bases.map { 1 / ($0 * $0) }
        default: return blockwise(bases.count) { i, vectorised in
            vectorised ? SleefPow.pow(bases[i], exponent) : Double.pow(bases[i], exponent)
        }
        }
    }

    /// `base ** exponents` for a Python float and a float64 tensor (a base of 1 gives ones).
    func pow(base: Double, exponents: [Double]) -> [Double] {
        guard base != 1 else { return exponents.map { _ in 1 } }
        return blockwise(exponents.count) { i, vectorised in
            vectorised ? SleefPow.pow(base, exponents[i]) : Double.pow(base, exponents[i])
        }
    }

    /// Element i computed by `f(i, inVectorBlock)` following torch's vectorised loop.
    private func blockwise(_ count: Int, _ f: (Int, Bool) -> Double) -> [Double] {
        let vectorised = count - count % powBlock
        return (0..<count).map { f($0, $0 < vectorised) }
    }
}
