#pragma once
#include <stddef.h>
#include <stdint.h>

// Element-wise and row-wise kernels that BLAS does not provide. Each entry point picks an
// AVX-512, AVX2+FMA or baseline build of the same C code at run time, so the package needs
// no unsafe compiler flags and runs on any x86-64 (or arm64, where only the baseline exists).

/// Which kernel build runs here: 2 = AVX-512, 1 = AVX2+FMA, 0 = baseline.
int sk_isa_level(void);

void sk_exp_f32(const float *x, float *y, ptrdiff_t n);
void sk_exp_f64(const double *x, double *y, ptrdiff_t n);

/// Row-wise max-subtracted softmax of a rows×cols row-major block; x and y may alias.
void sk_softmax_rows_f32(const float *x, float *y, ptrdiff_t rows, ptrdiff_t cols);
void sk_softmax_rows_f64(const double *x, double *y, ptrdiff_t rows, ptrdiff_t cols);

/// Row-wise log Σ exp; rows that are all −∞ give −∞, rows holding +∞ give +∞, NaN propagates.
void sk_logsumexp_rows_f32(const float *x, float *out, ptrdiff_t rows, ptrdiff_t cols);
void sk_logsumexp_rows_f64(const double *x, double *out, ptrdiff_t rows, ptrdiff_t cols);

/// Given g = x·yᵀ (rows×cols) and the squared norms of the rows of x and y, overwrite g with
/// max(‖x_i‖² − 2 g_ij + ‖y_j‖², 0).
void sk_sqdist_from_gram_f32(float *g, const float *xn, const float *yn, ptrdiff_t rows, ptrdiff_t cols);
void sk_sqdist_from_gram_f64(double *g, const double *xn, const double *yn, ptrdiff_t rows, ptrdiff_t cols);
/// One Adam/AdamW update of n parameters p with gradients g and moments m, v (Adam.swift's
/// formula); c = {decay, l2, 1 − β₁, β₂, 1 − β₂, step size, √(1 − β₂ᵗ), ε}.
void sk_adam_step_f32(float *p, const float *g, float *m, float *v, ptrdiff_t n, const float *c);
void sk_adam_step_f64(double *p, const double *g, double *m, double *v, ptrdiff_t n, const double *c);

/// a ← p + b (a − p) over n elements (an EMA update).
void sk_ema_lerp_f32(float *a, const float *p, ptrdiff_t n, float b);
void sk_ema_lerp_f64(double *a, const double *p, ptrdiff_t n, double b);
#include "philox.h"
