// Element-wise optimizer updates over a flat parameter buffer: the loops that dominate a training
// step after the GEMMs. Same operations in the same order as the formulas in Adam.swift and
// ExponentialMovingAverage.swift, with contraction into FMA off, so every build (AVX-512, AVX2,
// baseline) rounds exactly like the scalar definition.
#include "simd_dispatch.h"
#include <string.h>

#pragma STDC FP_CONTRACT OFF

// One macro body per precision: V is the 64-byte vector type, T the scalar, L the lanes.
#define SK_ADAM_BODY(T, V, L)                                                                      \
    const V decay = (V){0} + c[0], l2 = (V){0} + c[1], w1 = (V){0} + c[2], b2 = (V){0} + c[3];     \
    const V w2 = (V){0} + c[4], step = (V){0} + c[5], corr2 = (V){0} + c[6], eps = (V){0} + c[7]; \
    for (ptrdiff_t i = 0; i < n; i += L) {                                                         \
        const ptrdiff_t k = n - i < L ? n - i : L;                                                 \
        V pv = {0}, gv = {0}, mv = {0}, vv = {0};                                                  \
        memcpy(&pv, p + i, k * sizeof(T)); memcpy(&gv, g + i, k * sizeof(T));                      \
        memcpy(&mv, m + i, k * sizeof(T)); memcpy(&vv, v + i, k * sizeof(T));                      \
        pv = pv * decay;                                                                           \
        const V gi = gv + l2 * pv;                                                                 \
        mv = mv + w1 * (gi - mv);                                                                  \
        vv = b2 * vv + w2 * gi * gi;                                                               \
        pv = pv - step * mv / (__builtin_elementwise_sqrt(vv) / corr2 + eps);                      \
        memcpy(p + i, &pv, k * sizeof(T)); memcpy(m + i, &mv, k * sizeof(T));                      \
        memcpy(v + i, &vv, k * sizeof(T));                                                         \
    }

#define SK_LERP_BODY(T, V, L)                                                                      \
    const V bv = (V){0} + b;                                                                       \
    for (ptrdiff_t i = 0; i < n; i += L) {                                                         \
        const ptrdiff_t k = n - i < L ? n - i : L;                                                 \
        V av = {0}, pv = {0};                                                                      \
        memcpy(&av, a + i, k * sizeof(T)); memcpy(&pv, p + i, k * sizeof(T));                      \
        av = pv + bv * (av - pv);                                                                  \
        memcpy(a + i, &av, k * sizeof(T));                                                         \
    }

typedef float vf __attribute__((vector_size(64)));
typedef double vd __attribute__((vector_size(64)));

SK_INLINE void adam_step_f32_impl(float *p, const float *g, float *m, float *v, ptrdiff_t n, const float *c) {
    SK_ADAM_BODY(float, vf, 16)
}
SK_INLINE void adam_step_f64_impl(double *p, const double *g, double *m, double *v, ptrdiff_t n, const double *c) {
    SK_ADAM_BODY(double, vd, 8)
}
SK_INLINE void ema_lerp_f32_impl(float *a, const float *p, ptrdiff_t n, float b) { SK_LERP_BODY(float, vf, 16) }
SK_INLINE void ema_lerp_f64_impl(double *a, const double *p, ptrdiff_t n, double b) { SK_LERP_BODY(double, vd, 8) }

SK_DISPATCH(adam_step_f32, (float *p, const float *g, float *m, float *v, ptrdiff_t n, const float *c), (p, g, m, v, n, c))
SK_DISPATCH(adam_step_f64, (double *p, const double *g, double *m, double *v, ptrdiff_t n, const double *c), (p, g, m, v, n, c))
SK_DISPATCH(ema_lerp_f32, (float *a, const float *p, ptrdiff_t n, float b), (a, p, n, b))
SK_DISPATCH(ema_lerp_f64, (double *a, const double *p, ptrdiff_t n, double b), (a, p, n, b))
