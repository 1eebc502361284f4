// Philox4x32-10 (Salmon, Moraes, Dror & Shaw, SC'11) and the per-sample normals and uniforms
// built on it (layout: philox.h). Eight Philox blocks run side by side, one per 64-bit lane, so
// the 32×32→64-bit products map to (v)pmuludq; Box–Muller then runs on 8-lane vectors with
// polynomial log/sin/cos (Cephes coefficients), since libm is ~10× slower and not the same on
// every platform.
#include "philox.h"
#include "simd_dispatch.h"
#include <string.h>

// No fused multiply-adds anywhere: every build (AVX-512, AVX2+FMA, baseline, arm64) performs the
// same correctly rounded IEEE operations, so a draw has the same bits on every machine.
#pragma STDC FP_CONTRACT OFF

typedef uint64_t vu64 __attribute__((vector_size(64)));  // 8 lanes: one Philox word per lane
typedef int64_t vi64 __attribute__((vector_size(64)));
typedef uint32_t vu32 __attribute__((vector_size(32)));
typedef int32_t vi32 __attribute__((vector_size(32)));
typedef float vf __attribute__((vector_size(32)));
typedef double vd __attribute__((vector_size(64)));
enum { LANES = 8 };

// ---- Philox4x32-10 ------------------------------------------------------------------------------
// Random123's constants: the multipliers M0, M1 and the Weyl key increments (golden ratio, √3 − 1).
enum { PHILOX_M0 = 0xD2511F53u, PHILOX_M1 = 0xCD9E8D57u, PHILOX_W0 = 0x9E3779B9u, PHILOX_W1 = 0xBB67AE85u };

/// Ten rounds on the counters c[0..3]:
/// (c0, c1, c2, c3) ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)).
/// Each word lives in the low half of a 64-bit lane; the high halves carry junk that is masked
/// off where it matters (the factors of the products, which then map to a single (v)pmuludq)
/// and dropped when the words are narrowed to 32 bits. Written once for 8 lanes (bulk) and for
/// one (the scalar entry point).
#define DEFINE_PHILOX(NAME, V)                                                                      \
    SK_INLINE void NAME(V c[4], uint32_t k0, uint32_t k1) {                                         \
        const V low = (V){0} + 0xFFFFFFFFu;                                                         \
        for (int round = 0; round < 10; round++) {                                                  \
            V p0 = (c[0] & low) * PHILOX_M0, p1 = (c[2] & low) * PHILOX_M1;                         \
            c[0] = (p1 >> 32) ^ c[1] ^ k0;                                                          \
            c[1] = p1;                                                                              \
            c[2] = (p0 >> 32) ^ c[3] ^ k1;                                                          \
            c[3] = p0;                                                                              \
            k0 += PHILOX_W0;                                                                        \
            k1 += PHILOX_W1;                                                                        \
        }                                                                                           \
    }
DEFINE_PHILOX(philox4x32_10_v, vu64)
DEFINE_PHILOX(philox4x32_10_s, uint64_t)

void sk_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
    uint64_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    philox4x32_10_s(c, key[0], key[1]);
    for (int w = 0; w < 4; w++) out[w] = (uint32_t)c[w];
}

// ---- float Box–Muller ---------------------------------------------------------------------------
SK_INLINE vf bitsf(vi32 b) { vf f; memcpy(&f, &b, sizeof f); return f; }
SK_INLINE vi32 intsf(vf f) { vi32 b; memcpy(&b, &f, sizeof b); return b; }
SK_INLINE vf selectf(vi32 m, vf a, vf b) { return bitsf((m & intsf(a)) | (~m & intsf(b))); }

/// ln x for positive normal x (Cephes logf: x = m·2^e with m ∈ [√½, √2), degree-8 polynomial
/// in m − 1, ~1 ulp).
SK_INLINE vf logf_v(vf x) {
    vi32 bits = intsf(x);
    vi32 e = (bits >> 23) - 126;                            // x = m·2^e, m ∈ [½, 1)
    vf m = bitsf((bits & 0x007FFFFF) | 0x3F000000);
    vi32 small = m < 0.70710678118654752f;
    e = e + small;                                          // m < √½: use 2m and e − 1
    m = (m + selectf(small, m, (vf){0})) - 1.0f;            // exact (Sterbenz)
    vf ef = __builtin_convertvector(e, vf);
    vf z = m * m;
    vf y = 7.0376836292e-2f * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y = y - 2.12194440e-4f * ef;
    y = y - 0.5f * z;
    return (m + y) + 0.693359375f * ef;
}

/// The uniform u = (x + ½)·2⁻³² as v = min(u, 1 − u) (rounded from an integer below 2³¹, so
/// relatively accurate) and the mask of lanes where u > ½.
SK_INLINE vf half_unit_f(vu32 x, vi32 *upper) {
    *upper = (vi32)x >> 31;
    vi32 t = (vi32)x ^ *upper;  // x, or 2³² − 1 − x when u > ½: in [0, 2³¹)
    return __builtin_convertvector(t, vf) * 0x1p-32f + 0x1p-33f;
}

SK_INLINE vf uniform_f(vu32 x) {
    vi32 upper;
    vf v = half_unit_f(x, &upper);
    vf u = selectf(upper, 1.0f - v, v);
    return __builtin_elementwise_min(u, (vf){0} + 0x1.fffffep-1f);
}

/// √(−2 ln u) to a few ulp. Above ½ the float u has lost the relative accuracy of 1 − u, so
/// ln u = ln(1 − v) comes from Kahan's log1p: ln(y)·(−v)/(y − 1) with y = fl(1 − v) (y − 1 is
/// exact), or −v when y rounds to 1. Never 0 · ∞ or 0/0: the largest radius is √(66 ln 2) ≈ 6.77.
SK_INLINE vf radius_f(vu32 x) {
    vi32 upper;
    vf v = half_unit_f(x, &upper);
    vf y = selectf(upper, 1.0f - v, v);
    vf d = y - 1.0f;
    vi32 kahan = upper & (d != 0.0f), one = upper & (d == 0.0f);
    vf lnu = logf_v(y) * ((-v) / selectf(kahan, d, -v));
    lnu = selectf(one, -v, lnu);
    return __builtin_elementwise_sqrt(-2.0f * lnu);
}

/// Quadrant reduction of θ = 2π (x + ½)·2⁻³² done exactly on the integer: θ = qπ/2 + a with
/// q the nearest quadrant and a = π (2r + 1)·2⁻³², r = x − q·2³⁰ ∈ [−2²⁹, 2²⁹), so |a| ≤ π/4.
SK_INLINE vu32 quadrant(vu32 x, vi32 *twice_r_plus_1) {
    vu32 q = (x + (1u << 29)) >> 30;
    *twice_r_plus_1 = 2 * (vi32)(x - (q << 30)) + 1;
    return q;
}

/// (cos θ, sin θ) for θ = 2π (x + ½)·2⁻³² (Cephes sinf/cosf polynomials on |a| ≤ π/4).
SK_INLINE void sincos_turn_f(vu32 x, vf *c, vf *s) {
    vi32 n;
    vu32 q = quadrant(x, &n);
    vf a = __builtin_convertvector(n, vf) * (float)(3.14159265358979323846 * 0x1p-32);
    vf z = a * a;
    vf sa = -1.9515295891e-4f * z + 8.3321608736e-3f;
    sa = sa * z - 1.6666654611e-1f;
    sa = sa * z * a + a;
    vf ca = 2.443315711809948e-5f * z - 1.388731625493765e-3f;
    ca = ca * z + 4.166664568298827e-2f;
    ca = (ca * z * z - 0.5f * z) + 1.0f;
    // θ = qπ/2 + a: swap for odd q, then cos θ < 0 for q ∈ {1, 2} and sin θ < 0 for q ∈ {2, 3}.
    vi32 odd = -(vi32)(q & 1);
    *c = bitsf(intsf(selectf(odd, sa, ca)) ^ (vi32)(((q + 1) & 2) << 30));
    *s = bitsf(intsf(selectf(odd, ca, sa)) ^ (vi32)((q & 2) << 30));
}

// ---- double Box–Muller --------------------------------------------------------------------------
SK_INLINE vd bitsd(vi64 b) { vd f; memcpy(&f, &b, sizeof f); return f; }
SK_INLINE vi64 intsd(vd f) { vi64 b; memcpy(&b, &f, sizeof b); return b; }
SK_INLINE vd selectd(vi64 m, vd a, vd b) { return bitsd((m & intsd(a)) | (~m & intsd(b))); }

/// ln x for positive normal x (Cephes log: x = m·2^e, m ∈ [√½, √2), ln(1 + f) = f − f²/2 +
/// f³ P(f)/Q(f), ~1 ulp).
SK_INLINE vd logd_v(vd x) {
    vi64 bits = intsd(x);
    vi64 e = (bits >> 52) - 1022;
    vd m = bitsd((bits & 0x000FFFFFFFFFFFFFll) | 0x3FE0000000000000ll);
    vi64 small = m < 0.70710678118654752440;
    e = e + small;
    m = (m + selectd(small, m, (vd){0})) - 1.0;
    vd ef = __builtin_convertvector(e, vd);
    vd z = m * m;
    vd p = 1.01875663804580931796e-4 * m + 4.97494994976747001425e-1;
    p = p * m + 4.70579119878881725854e0;
    p = p * m + 1.44989225341610930846e1;
    p = p * m + 1.79368678507819816313e1;
    p = p * m + 7.70838733755885391666e0;
    vd q = m + 1.12873587189167450590e1;
    q = q * m + 4.52279145837532221105e1;
    q = q * m + 8.29875266912776603211e1;
    q = q * m + 7.11544750618563894466e1;
    q = q * m + 2.31251620126765340583e1;
    vd y = m * (z * p / q);
    y = y - 2.121944400546905827679e-4 * ef;
    y = y - 0.5 * z;
    return (m + y) + 0.693359375 * ef;
}

/// u = (x + ½)·2⁻³², exact in double.
SK_INLINE vd uniform_d(vu32 x) {
    vi64 sx = __builtin_convertvector((vi32)x, vi64);
    vd xd = __builtin_convertvector(sx, vd) + selectd(sx >> 63, (vd){0} + 0x1p32, (vd){0});
    return xd * 0x1p-32 + 0x1p-33;
}

SK_INLINE vd radius_d(vu32 x) { return __builtin_elementwise_sqrt(-2.0 * logd_v(uniform_d(x))); }

/// (cos θ, sin θ) for θ = 2π (x + ½)·2⁻³² (Cephes sin/cos polynomials on |a| ≤ π/4).
SK_INLINE void sincos_turn_d(vu32 x, vd *c, vd *s) {
    vi32 n;
    vu64 q = __builtin_convertvector(quadrant(x, &n), vu64);
    vd a = __builtin_convertvector(n, vd) * (3.14159265358979323846 * 0x1p-32);
    vd z = a * a;
    vd sa = 1.58962301576546568060e-10 * z - 2.50507477628578072866e-8;
    sa = sa * z + 2.75573136213857245213e-6;
    sa = sa * z - 1.98412698295895385996e-4;
    sa = sa * z + 8.33333333332211858878e-3;
    sa = sa * z - 1.66666666666666307295e-1;
    sa = a + a * z * sa;
    vd ca = -1.13585365213876817300e-11 * z + 2.08757008419747316778e-9;
    ca = ca * z - 2.75573141792967388112e-7;
    ca = ca * z + 2.48015872888517045348e-5;
    ca = ca * z - 1.38888888888730564116e-3;
    ca = ca * z + 4.16666666666665929218e-2;
    ca = (1.0 - 0.5 * z) + z * z * ca;
    vi64 odd = -(vi64)(q & 1);
    *c = bitsd(intsd(selectd(odd, sa, ca)) ^ (vi64)(((q + 1) & 2) << 62));
    *s = bitsd(intsd(selectd(odd, ca, sa)) ^ (vi64)((q & 2) << 62));
}

// ---- transforms: four Philox words per lane → four values per lane ------------------------------
SK_INLINE vu32 word(const vu64 c[4], int w) { return __builtin_convertvector(c[w], vu32); }

/// Box–Muller on the word pairs (0, 1) and (2, 3).
#define NORMAL_TRANSFORM(SUF, V)                                                                    \
    SK_INLINE void normal_##SUF(const vu64 c[4], V z[4]) {                                          \
        V r01 = radius_##SUF(word(c, 0)), r23 = radius_##SUF(word(c, 2)), c1, s1, c3, s3;           \
        sincos_turn_##SUF(word(c, 1), &c1, &s1);                                                    \
        sincos_turn_##SUF(word(c, 3), &c3, &s3);                                                    \
        z[0] = r01 * c1; z[1] = r01 * s1; z[2] = r23 * c3; z[3] = r23 * s3;                         \
    }                                                                                               \
    SK_INLINE void uniform_##SUF##4(const vu64 c[4], V z[4]) {                                      \
        for (int w = 0; w < 4; w++) z[w] = uniform_##SUF(word(c, w));                               \
    }
NORMAL_TRANSFORM(f, vf)
NORMAL_TRANSFORM(d, vd)

// ---- the fill loop ------------------------------------------------------------------------------
/// Blocks are taken LANES at a time in row-major (row, block) order; a group within one row whose
/// blocks are all full is stored straight into the row, any other group goes through a scratch
/// buffer. The values never depend on the grouping, only on (seed, sample, draw, column).
#define DEFINE_FILL(NAME, T, V, TRANSFORM)                                                          \
    SK_INLINE void NAME##_impl(uint64_t seed, uint32_t draw, uint64_t first, const uint64_t *samples, \
                               T *out, ptrdiff_t rows, ptrdiff_t cols) {                            \
        if (rows <= 0 || cols <= 0) return;                                                         \
        const ptrdiff_t blocks = (cols + 3) / 4;                                                    \
        const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);                            \
        const vu64 iota = {0, 1, 2, 3, 4, 5, 6, 7};                                                 \
        ptrdiff_t r = 0, b = 0;                                                                     \
        while (r < rows) {                                                                          \
            vu64 c[4];                                                                              \
            ptrdiff_t lane_row[LANES], lane_block[LANES];                                           \
            int whole = 0;                                                                          \
            c[1] = (vu64){0} + draw;                                                                \
            if (b + LANES <= blocks) {                                                              \
                uint64_t i = samples ? samples[r] : first + (uint64_t)r;                            \
                c[0] = iota + (uint64_t)b;                                                          \
                c[2] = (vu64){0} + (uint32_t)i;                                                     \
                c[3] = (vu64){0} + (uint32_t)(i >> 32);                                             \
                whole = 4 * (b + LANES) <= cols;                                                    \
                for (int l = 0; l < LANES; l++) { lane_row[l] = r; lane_block[l] = b + l; }         \
                b += LANES;                                                                         \
                if (b == blocks) { b = 0; r++; }                                                    \
            } else if (blocks == 1 && r + LANES <= rows) { /* one block per row: LANES rows */     \
                uint64_t i[LANES];                                                                  \
                for (int l = 0; l < LANES; l++) {                                                   \
                    i[l] = samples ? samples[r + l] : first + (uint64_t)(r + l);                    \
                    lane_row[l] = r + l; lane_block[l] = 0;                                         \
                }                                                                                   \
                memcpy(&c[2], i, sizeof i);                                                         \
                c[0] = (vu64){0};                                                                   \
                c[3] = c[2] >> 32;                                                                  \
                c[2] &= 0xFFFFFFFFu;                                                                \
                whole = cols == 4;                                                                  \
                r += LANES;                                                                         \
            } else {                                                                                \
                uint64_t c0[LANES], c2[LANES], c3[LANES];                                           \
                for (int l = 0; l < LANES; l++) {                                                   \
                    lane_row[l] = r < rows ? r : -1;                                                \
                    lane_block[l] = b;                                                              \
                    uint64_t i = r >= rows ? 0 : samples ? samples[r] : first + (uint64_t)r;        \
                    c0[l] = (uint64_t)b; c2[l] = (uint32_t)i; c3[l] = (uint32_t)(i >> 32);          \
                    if (r < rows && ++b == blocks) { b = 0; r++; }                                  \
                }                                                                                   \
                memcpy(&c[0], c0, sizeof c0);                                                       \
                memcpy(&c[2], c2, sizeof c2);                                                       \
                memcpy(&c[3], c3, sizeof c3);                                                       \
            }                                                                                       \
            philox4x32_10_v(c, k0, k1);                                                             \
            V z[4];                                                                                 \
            TRANSFORM(c, z);                                                                        \
            /* interleave: element 4l + w of the group is z[w][l] */                                \
            V ab0 = __builtin_shufflevector(z[0], z[1], 0, 8, 1, 9, 2, 10, 3, 11);                  \
            V ab1 = __builtin_shufflevector(z[0], z[1], 4, 12, 5, 13, 6, 14, 7, 15);                \
            V cd0 = __builtin_shufflevector(z[2], z[3], 0, 8, 1, 9, 2, 10, 3, 11);                  \
            V cd1 = __builtin_shufflevector(z[2], z[3], 4, 12, 5, 13, 6, 14, 7, 15);                \
            V o[4] = {__builtin_shufflevector(ab0, cd0, 0, 1, 8, 9, 2, 3, 10, 11),                  \
                      __builtin_shufflevector(ab0, cd0, 4, 5, 12, 13, 6, 7, 14, 15),                \
                      __builtin_shufflevector(ab1, cd1, 0, 1, 8, 9, 2, 3, 10, 11),                  \
                      __builtin_shufflevector(ab1, cd1, 4, 5, 12, 13, 6, 7, 14, 15)};               \
            if (whole) {                                                                            \
                memcpy(out + lane_row[0] * cols + 4 * lane_block[0], o, sizeof o);                  \
            } else {                                                                                \
                T tmp[4 * LANES];                                                                   \
                memcpy(tmp, o, sizeof o);                                                           \
                for (int l = 0; l < LANES && lane_row[l] >= 0; l++) {                               \
                    ptrdiff_t j = 4 * lane_block[l], n = cols - j < 4 ? cols - j : 4;               \
                    for (ptrdiff_t w = 0; w < n; w++) out[lane_row[l] * cols + j + w] = tmp[4 * l + w]; \
                }                                                                                   \
            }                                                                                       \
        }                                                                                           \
    }

DEFINE_FILL(philox_normal_f32, float, vf, normal_f)
DEFINE_FILL(philox_normal_f64, double, vd, normal_d)
DEFINE_FILL(philox_uniform_f32, float, vf, uniform_f4)
DEFINE_FILL(philox_uniform_f64, double, vd, uniform_d4)

#define FILL_PARAMS(T) (uint64_t seed, uint32_t draw, uint64_t first_sample, const uint64_t *samples, \
                        T *out, ptrdiff_t rows, ptrdiff_t cols)
#define FILL_ARGS (seed, draw, first_sample, samples, out, rows, cols)
SK_DISPATCH(philox_normal_f32, FILL_PARAMS(float), FILL_ARGS)
SK_DISPATCH(philox_normal_f64, FILL_PARAMS(double), FILL_ARGS)
SK_DISPATCH(philox_uniform_f32, FILL_PARAMS(float), FILL_ARGS)
SK_DISPATCH(philox_uniform_f64, FILL_PARAMS(double), FILL_ARGS)
