// Hand-vectorised kernels (clang vector extensions), compiled three times with different target
// attributes and dispatched once at run time. Why by hand: Swift's SIMD types lower several
// operations to scalar code without -march flags (swift-numerics.md §5), and libm's exp is ~10×
// slower than a polynomial.
#include "simd_dispatch.h"
#include <math.h>
#include <string.h>

typedef float vf __attribute__((vector_size(64)));   // 16 lanes
typedef double vd __attribute__((vector_size(64)));  // 8 lanes
typedef int32_t vi32 __attribute__((vector_size(64)));
typedef int64_t vi64 __attribute__((vector_size(64)));
enum { LF = 16, LD = 8 };

#define INLINE SK_INLINE

INLINE vf loadf(const float *p) { vf v; memcpy(&v, p, sizeof v); return v; }
INLINE void storef(float *p, vf v) { memcpy(p, &v, sizeof v); }
INLINE vd loadd(const double *p) { vd v; memcpy(&v, p, sizeof v); return v; }
INLINE void stored(double *p, vd v) { memcpy(p, &v, sizeof v); }
INLINE vf splatf(float a) { return (vf){0} + a; }
INLINE vd splatd(double a) { return (vd){0} + a; }
// C has no vector ?: operator; select through the comparison mask (all ones or all zeros per lane).
INLINE vf selectf(vi32 m, vf a, vf b) {
    vi32 ai, bi; memcpy(&ai, &a, sizeof a); memcpy(&bi, &b, sizeof b);
    vi32 r = (m & ai) | (~m & bi); vf o; memcpy(&o, &r, sizeof o); return o;
}
INLINE vd selectd(vi64 m, vd a, vd b) {
    vi64 ai, bi; memcpy(&ai, &a, sizeof a); memcpy(&bi, &b, sizeof b);
    vi64 r = (m & ai) | (~m & bi); vd o; memcpy(&o, &r, sizeof o); return o;
}

// exp(x) for float: Cephes range reduction x = k ln2 + r, degree-6 polynomial in r (max rel. err
// ≈ 1.2e-7 over the range), 2^k built from the exponent bits; exp(x) = 0 below −87.3, +∞ above
// 88.7, NaN stays NaN.
INLINE vf expf_core(vf x) {
    const vf lo = splatf(-87.33654f), hi = splatf(88.72283f);
    vi32 under = x < lo;
    x = __builtin_elementwise_min(__builtin_elementwise_max(x, lo), hi);
    const vf magic = splatf(12582912.0f);  // 1.5·2^23: adding it rounds to nearest integer
    vf k = (x * 1.44269504088896341f + magic) - magic;
    vf r = x - k * 0.693359375f;
    r = r + k * 2.12194440e-4f;
    vf p = splatf(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    // k ∈ [−126, 128]; split the scale in two so that k = 128 does not overflow the exponent.
    vi32 ki = __builtin_convertvector(k, vi32);
    vi32 k1 = ki >> 1, k2 = ki - k1;
    vf s1, s2;
    vi32 b1 = (k1 + 127) << 23, b2 = (k2 + 127) << 23;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    vf y = p * s1 * s2;
    return selectf(under, splatf(0.0f), y);
}
INLINE vf expf_v(vf x) {
    vf y = selectf(x > splatf(88.72283f), splatf(INFINITY), expf_core(x));
    return selectf(x != x, x, y);
}

// exp(x) for double: Cephes Padé form exp(r) = 1 + 2 r P(r²) / (Q(r²) − r P(r²)), ≈ 1 ulp;
// exp(x) = 0 below −745, +∞ above 709.78, NaN stays NaN.
INLINE vd expd_core(vd x) {
    const vd lo = splatd(-745.1332191019412), hi = splatd(709.782712893384);
    vi64 under = x < lo;
    // Clamp so that 2^k stays normal; inputs below −708.4 return a subnormal or 0.
    x = __builtin_elementwise_min(__builtin_elementwise_max(x, splatd(-708.3964185322641)), hi);
    const vd magic = splatd(6755399441055744.0);  // 1.5·2^52
    vd k = (x * 1.4426950408889634073599 + magic) - magic;
    vd r = x - k * 6.93145751953125e-1;
    r = r - k * 1.42860682030941723212e-6;
    vd rr = r * r;
    vd px = splatd(1.26177193074810590878e-4);
    px = px * rr + 3.02994407707441961300e-2;
    px = px * rr + 9.99999999999999999910e-1;
    px = px * r;
    vd qx = splatd(3.00198505138664455042e-6);
    qx = qx * rr + 2.52448340349684104192e-3;
    qx = qx * rr + 2.27265548208155028766e-1;
    qx = qx * rr + 2.00000000000000000009e0;
    vd e = 1.0 + 2.0 * px / (qx - px);
    vi64 ki = __builtin_convertvector(k, vi64);
    vi64 k1 = ki >> 1, k2 = ki - k1;
    vd s1, s2;
    vi64 b1 = (k1 + 1023) << 52, b2 = (k2 + 1023) << 52;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    vd y = e * s1 * s2;
    return selectd(under, splatd(0.0), y);
}
INLINE vd expd_v(vd x) {
    vd y = selectd(x > splatd(709.782712893384), splatd(INFINITY), expd_core(x));
    return selectd(x != x, x, y);
}

// Scalar tails reuse the vector code on a splatted lane so both paths round identically.
INLINE float expf_s(float x) { return expf_v(splatf(x))[0]; }
INLINE double expd_s(double x) { return expd_v(splatd(x))[0]; }
// Inside softmax and log-sum-exp the argument is x − max ≤ 0 and never NaN: skip those edge cases.
INLINE float expf_cs(float x) { return expf_core(splatf(x))[0]; }
INLINE double expd_cs(double x) { return expd_core(splatd(x))[0]; }

INLINE float hmaxf(vf v) { float m = v[0]; for (int i = 1; i < LF; i++) m = v[i] > m ? v[i] : m; return m; }
INLINE double hmaxd(vd v) { double m = v[0]; for (int i = 1; i < LD; i++) m = v[i] > m ? v[i] : m; return m; }
INLINE float hsumf(vf v) { float s = 0; for (int i = 0; i < LF; i++) s += v[i]; return s; }
INLINE double hsumd(vd v) { double s = 0; for (int i = 0; i < LD; i++) s += v[i]; return s; }

// The kernel bodies are written once per precision through this macro: T scalar, V vector,
// L lanes, and the matching helpers.
#define DEFINE_KERNELS(SUF, T, V, L, LOAD, STORE, SPLAT, EXPV, EXPS, EXPC, EXPCS, HMAX, HSUM, NEG_INF, SEL)           \
INLINE void exp_##SUF(const T *x, T *y, ptrdiff_t n) {                                              \
    ptrdiff_t i = 0;                                                                                \
    for (; i + L <= n; i += L) STORE(y + i, EXPV(LOAD(x + i)));                                     \
    for (; i < n; i++) y[i] = EXPS(x[i]);                                                           \
}                                                                                                   \
INLINE T rowmax_##SUF(const T *x, ptrdiff_t n, int *has_nan) {                                      \
    V m = SPLAT(NEG_INF); V nanv = SPLAT(0);                                                        \
    ptrdiff_t i = 0;                                                                                \
    for (; i + L <= n; i += L) { V v = LOAD(x + i); m = __builtin_elementwise_max(m, v); nanv = SEL(v != v, SPLAT(1), nanv); } \
    T mm = HMAX(m); int nan = HMAX(nanv) > 0;                                                       \
    for (; i < n; i++) { if (x[i] > mm) mm = x[i]; if (x[i] != x[i]) nan = 1; }                     \
    *has_nan = nan; return mm;                                                                      \
}                                                                                                   \
/* Σ exp(x − m), optionally storing the exponentials. */                                            \
INLINE T sumexp_##SUF(const T *x, T *y, ptrdiff_t n, T m) {                                         \
    V acc = SPLAT(0), mv = SPLAT(m);                                                                \
    ptrdiff_t i = 0;                                                                                \
    for (; i + L <= n; i += L) { V e = EXPC(LOAD(x + i) - mv); if (y) STORE(y + i, e); acc += e; }  \
    T s = HSUM(acc);                                                                                \
    for (; i < n; i++) { T e = EXPCS(x[i] - m); if (y) y[i] = e; s += e; }                           \
    return s;                                                                                       \
}                                                                                                   \
INLINE void softmax_rows_##SUF(const T *x, T *y, ptrdiff_t rows, ptrdiff_t cols) {                  \
    for (ptrdiff_t r = 0; r < rows; r++) {                                                          \
        const T *xr = x + r * cols; T *yr = y + r * cols;                                           \
        int nan; T m = rowmax_##SUF(xr, cols, &nan);                                                \
        if (nan || m == NEG_INF || m == -(NEG_INF)) {                                               \
            /* NaN, all −∞ or some +∞: no finite answer; mark the row NaN rather than guess. */     \
            for (ptrdiff_t i = 0; i < cols; i++) yr[i] = (T)NAN;                                    \
            continue;                                                                               \
        }                                                                                           \
        T s = sumexp_##SUF(xr, yr, cols, m);                                                        \
        V inv = SPLAT((T)1 / s);                                                                    \
        ptrdiff_t i = 0;                                                                            \
        for (; i + L <= cols; i += L) STORE(yr + i, LOAD(yr + i) * inv);                            \
        for (; i < cols; i++) yr[i] *= (T)1 / s;                                                    \
    }                                                                                               \
}                                                                                                   \
INLINE void logsumexp_rows_##SUF(const T *x, T *out, ptrdiff_t rows, ptrdiff_t cols) {              \
    for (ptrdiff_t r = 0; r < rows; r++) {                                                          \
        const T *xr = x + r * cols;                                                                 \
        int nan; T m = rowmax_##SUF(xr, cols, &nan);                                                \
        if (nan) { out[r] = (T)NAN; continue; }                                                     \
        if (m == NEG_INF || m == -(NEG_INF)) { out[r] = m; continue; }                              \
        out[r] = m + (T)log((double)sumexp_##SUF(xr, 0, cols, m));                                 \
    }                                                                                               \
}                                                                                                   \
INLINE void sqdist_##SUF(T *g, const T *xn, const T *yn, ptrdiff_t rows, ptrdiff_t cols) {          \
    for (ptrdiff_t r = 0; r < rows; r++) {                                                          \
        T *gr = g + r * cols; V xv = SPLAT(xn[r]); V zero = SPLAT(0);                               \
        ptrdiff_t i = 0;                                                                            \
        for (; i + L <= cols; i += L) {                                                             \
            V d = xv + LOAD(yn + i) - 2 * LOAD(gr + i);                                             \
            STORE(gr + i, __builtin_elementwise_max(d, zero));                                                     \
        }                                                                                           \
        for (; i < cols; i++) { T d = xn[r] + yn[i] - 2 * gr[i]; gr[i] = d < 0 ? 0 : d; }           \
    }                                                                                               \
}

DEFINE_KERNELS(f32, float, vf, LF, loadf, storef, splatf, expf_v, expf_s, expf_core, expf_cs, hmaxf, hsumf, -INFINITY, selectf)
DEFINE_KERNELS(f64, double, vd, LD, loadd, stored, splatd, expd_v, expd_s, expd_core, expd_cs, hmaxd, hsumd, -INFINITY, selectd)

// ---- run-time dispatch (simd_dispatch.h) ----------------------------------------------------
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define SK_X86 1
#endif

static int detect_isa(void) {
#ifdef SK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

int sk_isa_level(void) {
    static int level = -1;  // every thread would compute the same value; atomics keep TSan quiet
    int l = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (l < 0) { l = detect_isa(); __atomic_store_n(&level, l, __ATOMIC_RELAXED); }
    return l;
}

#define exp_f32_impl exp_f32
#define exp_f64_impl exp_f64
#define softmax_rows_f32_impl softmax_rows_f32
#define softmax_rows_f64_impl softmax_rows_f64
#define logsumexp_rows_f32_impl logsumexp_rows_f32
#define logsumexp_rows_f64_impl logsumexp_rows_f64
#define sqdist_from_gram_f32_impl sqdist_f32
#define sqdist_from_gram_f64_impl sqdist_f64

SK_DISPATCH(exp_f32, (const float *x, float *y, ptrdiff_t n), (x, y, n))
SK_DISPATCH(exp_f64, (const double *x, double *y, ptrdiff_t n), (x, y, n))
SK_DISPATCH(softmax_rows_f32, (const float *x, float *y, ptrdiff_t rows, ptrdiff_t cols), (x, y, rows, cols))
SK_DISPATCH(softmax_rows_f64, (const double *x, double *y, ptrdiff_t rows, ptrdiff_t cols), (x, y, rows, cols))
SK_DISPATCH(logsumexp_rows_f32, (const float *x, float *out, ptrdiff_t rows, ptrdiff_t cols), (x, out, rows, cols))
SK_DISPATCH(logsumexp_rows_f64, (const double *x, double *out, ptrdiff_t rows, ptrdiff_t cols), (x, out, rows, cols))
SK_DISPATCH(sqdist_from_gram_f32, (float *g, const float *xn, const float *yn, ptrdiff_t rows, ptrdiff_t cols), (g, xn, yn, rows, cols))
SK_DISPATCH(sqdist_from_gram_f64, (double *g, const double *xn, const double *yn, ptrdiff_t rows, ptrdiff_t cols), (g, xn, yn, rows, cols))
