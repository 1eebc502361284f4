// Element-wise optimizer updates over a flat parameter buffer: the loops that dominate a training
// step after the GEMMs. Same operations in the same order as the formulas in Adam.swift and
// ExponentialMovingAverage.swift, with contraction into FMA off, so every build (AVX-512, AVX2,
// baseline) rounds exactly like the scalar definition.
#include "simd_dispatch.h"
#include <string.h>

#pragma STDC FP_CONTRACT OFF

// One macro body per precision: V is the 64-byte vector type, T the scalar, L the lanes.
// Whole vectors move with fixed-size memcpy (plain vector loads and stores); the tail goes through
// a zero-padded vector, so one body serves both.
#define SK_ADAM_BODY(T, V, L)                                                                      \
    const V decay = (V){0} + c[0], l2 = (V){0} + c[1], w1 = (V){0} + c[2], b2 = (V){0} + c[3];     \
    const V w2 = (V){0} + c[4], step = (V){0} + c[5], corr2 = (V){0} + c[6], eps = (V){0} + c[7]; \
    ptrdiff_t i = 0;                                                                               \
    for (; i + L <= n; i += L) {                                                                   \
        V pv, gv, mv, vv;                                                                          \
        memcpy(&pv, p + i, sizeof pv); memcpy(&gv, g + i, sizeof gv);                              \
        memcpy(&mv, m + i, sizeof mv); memcpy(&vv, v + i, sizeof vv);                              \
        SK_ADAM_UPDATE(V)                                                                          \
        memcpy(p + i, &pv, sizeof pv); memcpy(m + i, &mv, sizeof mv); memcpy(v + i, &vv, sizeof vv); \
    }                                                                                              \
    if (i < n) {                                                                                   \
        const size_t k = (size_t)(n - i) * sizeof(T);                                              \
        V pv = {0}, gv = {0}, mv = {0}, vv = {0};                                                  \
        memcpy(&pv, p + i, k); memcpy(&gv, g + i, k); memcpy(&mv, m + i, k); memcpy(&vv, v + i, k); \
        SK_ADAM_UPDATE(V)                                                                          \
        memcpy(p + i, &pv, k); memcpy(m + i, &mv, k); memcpy(v + i, &vv, k);                       \
    }

#define SK_ADAM_UPDATE(V)                                                                          \
    pv = pv * decay;                                                                               \
    const V gi = gv + l2 * pv;                                                                     \
    mv = mv + w1 * (gi - mv);                                                                      \
    vv = b2 * vv + w2 * gi * gi;                                                                   \
    pv = pv - step * mv / (__builtin_elementwise_sqrt(vv) / corr2 + eps);

#define SK_LERP_BODY(T, V, L)                                                                      \
    const V bv = (V){0} + b;                                                                       \
    ptrdiff_t i = 0;                                                                               \
    for (; i + L <= n; i += L) {                                                                   \
        V av, pv;                                                                                  \
        memcpy(&av, a + i, sizeof av); memcpy(&pv, p + i, sizeof pv);                              \
        av = pv + bv * (av - pv);                                                                  \
        memcpy(a + i, &av, sizeof av);                                                             \
    }                                                                                              \
    if (i < n) {                                                                                   \
        const size_t k = (size_t)(n - i) * sizeof(T);                                              \
        V av = {0}, pv = {0};                                                                      \
        memcpy(&av, a + i, k); memcpy(&pv, p + i, k);                                              \
        av = pv + bv * (av - pv);                                                                  \
        memcpy(a + i, &av, k);                                                                     \
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
