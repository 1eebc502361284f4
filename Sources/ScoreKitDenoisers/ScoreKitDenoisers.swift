// The exact (analytic) denoisers of papers.md §0.4: empirical (delta mixture), Gaussian (full,
// low-rank, isotropic, with the closed-form PF-ODE solution), Gaussian mixture (with EM fitting),
// and Kim's optimal multiplicative field (§1.2). All conform to `Denoiser`; all but Kim's field
// also know their noised log-density exactly (`DensityModel`).
@_exported import ScoreKitDiffusion
