// Internal to the C target: the run-time ISA dispatch used by the kernel files.
// A kernel body NAME_impl (always_inline, written with clang vector extensions) is compiled three
// times, for AVX-512, AVX2+FMA and the baseline ISA, and the exported sk_NAME picks one with
// sk_isa_level(). The package therefore needs no compiler flags and runs on any x86-64; on other
// architectures only the baseline build exists.
#pragma once
#include "CScoreKitKernels.h"

// Vector helpers are always_inline, so the vector-ABI differences between builds never cross a call.
#pragma clang diagnostic ignored "-Wpsabi"

#define SK_INLINE static inline __attribute__((always_inline))

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define SK_DISPATCH(NAME, PARAMS, ARGS)                                                             \
    __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))) static void NAME##_512 PARAMS {   \
        NAME##_impl ARGS;                                                                           \
    }                                                                                               \
    __attribute__((target("avx2,fma"))) static void NAME##_256 PARAMS { NAME##_impl ARGS; }         \
    static void NAME##_base PARAMS { NAME##_impl ARGS; }                                            \
    void sk_##NAME PARAMS {                                                                         \
        switch (sk_isa_level()) {                                                                   \
        case 2: NAME##_512 ARGS; break;                                                             \
        case 1: NAME##_256 ARGS; break;                                                             \
        default: NAME##_base ARGS;                                                                  \
        }                                                                                           \
    }
#else
#define SK_DISPATCH(NAME, PARAMS, ARGS) void sk_##NAME PARAMS { NAME##_impl ARGS; }
#endif
