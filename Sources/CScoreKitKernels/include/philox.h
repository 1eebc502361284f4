#pragma once
#include <stddef.h>
#include <stdint.h>

// Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC'11; the `philox4x32` of D. E. Shaw Research's Random123).

/// One Philox4x32-10 block: the 128-bit counter `ctr` encrypted under the 64-bit key `key`
/// (10 rounds, the key bumped by the Weyl constants between rounds). Words are in Random123's order.
void sk_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/// Per-sample draws into a rows×cols row-major buffer. Row r holds draw `draw` of sample
/// i = samples[r] (or first_sample + r when `samples` is NULL). Element j of the row is word j mod 4
/// of the Philox4x32-10 block with key (seed mod 2³², seed / 2³²) and counter
/// (j / 4, draw, i mod 2³², i / 2³²); the word x becomes the uniform u = (x + ½)·2⁻³² ∈ (0, 1).
/// So every value depends only on (seed, i, draw, j), never on rows, batching or order.
///
/// Normals: words (x0, x1) of a block give elements 4b, 4b + 1 as √(−2 ln u0)·(cos 2πu1, sin 2πu1)
/// (Box–Muller), and words (x2, x3) give elements 4b + 2, 4b + 3 the same way.
/// The f32 and f64 versions use the same uniforms; each is computed in its own precision with
/// portable polynomials and no contracted operations, so results are bit-identical on every build.
void sk_philox_normal_f32(uint64_t seed, uint32_t draw, uint64_t first_sample, const uint64_t *samples,
                          float *out, ptrdiff_t rows, ptrdiff_t cols);
void sk_philox_normal_f64(uint64_t seed, uint32_t draw, uint64_t first_sample, const uint64_t *samples,
                          double *out, ptrdiff_t rows, ptrdiff_t cols);

/// Uniforms with the same addressing: element j is u for word j mod 4 (exact in f64; in f32 within
/// 2⁻²⁴ of it and capped at the largest float below 1, so always in (0, 1)).
void sk_philox_uniform_f32(uint64_t seed, uint32_t draw, uint64_t first_sample, const uint64_t *samples,
                           float *out, ptrdiff_t rows, ptrdiff_t cols);
void sk_philox_uniform_f64(uint64_t seed, uint32_t draw, uint64_t first_sample, const uint64_t *samples,
                           double *out, ptrdiff_t rows, ptrdiff_t cols);
