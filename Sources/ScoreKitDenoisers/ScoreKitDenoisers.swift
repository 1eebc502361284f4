// The exact (analytic) denoisers of papers.md §0.4: empirical (delta mixture), Gaussian (full,
// low-rank, isotropic, with the closed-form PF-ODE solution), Gaussian mixture (with EM fitting),
// and Kim's optimal multiplicative field (§1.2). All conform to `Denoiser`; all but Kim's field
// also know their noised log-density exactly (`DensityModel`).
@_exported import ScoreKitDiffusion

// Performance note: generic code called from another module runs unspecialised (every `+` on
// `Scalar` through a witness table, ~100× slower per element) unless it is inlinable or
// pre-specialised. The functions here that loop over elements therefore carry
// `@_specialize(where Scalar == Float)` / `@_specialize(where Scalar == Double)`, which compiles a
// specialised body behind a type check at the top of the generic entry point.
