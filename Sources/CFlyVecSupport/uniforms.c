#include "CFlyVecSupport.h"
#include "cpu.h"

// SplitMix64 as FlyVec's Swift generator has it, for the uniforms of the initial synapses: one
// generator per unit, four advanced at once in the vector path. AVX2 has no 64-bit multiply, so
// it is built from 32-bit ones; the 53-bit integers become doubles exactly in two parts.

static const uint64_t gamma64 = 0x9E3779B97F4A7C15ull, mix1 = 0xBF58476D1CE4E5B9ull, mix2 = 0x94D049BB133111EBull;
static const double unit53 = 1.0 / 9007199254740992.0;

static inline uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * mix1;
    z = (z ^ (z >> 27)) * mix2;
    return z ^ (z >> 31);
}

static void uniforms_portable(uint64_t *states, size_t count, double *u1, double *u2) {
    for (size_t i = 0; i < count; i++) {
        uint64_t s = states[i] + gamma64;
        u1[i] = 1.0 - (double)(mix(s) >> 11) * unit53;
        s += gamma64;
        u2[i] = (double)(mix(s) >> 11) * unit53;
        states[i] = s;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) static inline

// The low 64 bits of a · b, per lane.
AVX2_INLINE __m256i mul64(__m256i a, __m256i b) {
    const __m256i low = _mm256_mul_epu32(a, b);
    const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b), _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
    return _mm256_add_epi64(low, _mm256_slli_epi64(cross, 32));
}

AVX2_INLINE __m256i mix4(__m256i z) {
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), _mm256_set1_epi64x((long long)mix1));
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), _mm256_set1_epi64x((long long)mix2));
    return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}

// (z >> 11) · 2^-53 exactly: the 53-bit integer as hi · 2^21 + lo, each part (under 2^52) made a
// double by setting the exponent of 2^52 and subtracting it; every step is exact.
AVX2_INLINE __m256d unit4(__m256i z) {
    const __m256i x = _mm256_srli_epi64(z, 11);
    const __m256i magic = _mm256_set1_epi64x(0x4330000000000000ll);
    const __m256d two52 = _mm256_set1_pd(4503599627370496.0);
    const __m256d hi = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(x, 21), magic)), two52);
    const __m256d lo = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(x, _mm256_set1_epi64x((1 << 21) - 1)), magic)), two52);
    return _mm256_mul_pd(_mm256_add_pd(_mm256_mul_pd(hi, _mm256_set1_pd(2097152.0)), lo), _mm256_set1_pd(unit53));
}

__attribute__((target("avx2,fma")))
static size_t uniforms_avx2(uint64_t *states, size_t count, double *u1, double *u2) {
    const __m256i g = _mm256_set1_epi64x((long long)gamma64);
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        __m256i s = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(states + i)), g);
        _mm256_storeu_pd(u1 + i, _mm256_sub_pd(_mm256_set1_pd(1.0), unit4(mix4(s))));
        s = _mm256_add_epi64(s, g);
        _mm256_storeu_pd(u2 + i, unit4(mix4(s)));
        _mm256_storeu_si256((__m256i *)(states + i), s);
    }
    return i;
}

// Eight generators at a time: AVX-512 DQ multiplies 64-bit lanes and converts them to doubles.
#define AVX512_INLINE __attribute__((target("avx512f,avx512dq"), always_inline)) static inline

AVX512_INLINE __m512i mix8(__m512i z) {
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64((long long)mix1));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64((long long)mix2));
    return _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
}

AVX512_INLINE __m512d unit8(__m512i z) {
    return _mm512_mul_pd(_mm512_cvtepu64_pd(_mm512_srli_epi64(z, 11)), _mm512_set1_pd(unit53));
}

__attribute__((target("avx512f,avx512dq")))
static size_t uniforms_avx512(uint64_t *states, size_t count, double *u1, double *u2) {
    const __m512i g = _mm512_set1_epi64((long long)gamma64);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m512i s = _mm512_add_epi64(_mm512_loadu_si512(states + i), g);
        _mm512_storeu_pd(u1 + i, _mm512_sub_pd(_mm512_set1_pd(1.0), unit8(mix8(s))));
        s = _mm512_add_epi64(s, g);
        _mm512_storeu_pd(u2 + i, unit8(mix8(s)));
        _mm512_storeu_si512(states + i, s);
    }
    return i;
}
#endif

void flyvec_box_muller_uniforms(uint64_t *states, size_t count, double *u1, double *u2, int allowVector) {
    size_t done = 0;
#if defined(__x86_64__)
    if (allowVector >= 2 && flyvec_cpu_avx512()) done = uniforms_avx512(states, count, u1, u2);
    if (allowVector && flyvec_cpu_avx2_fma()) done += uniforms_avx2(states + done, count - done, u1 + done, u2 + done);
#endif
    uniforms_portable(states + done, count - done, u1 + done, u2 + done);
}
