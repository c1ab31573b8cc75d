#include "CFlyVecSupport.h"
#include "cpu.h"
#include <math.h>
#include <string.h>

// The initial synapses are ~80 million normal samples (160 million at K 4096). Each SplitMix64
// draw gives a pair of them, by the Box–Muller transform in single precision: its top 24 bits make
// u1 in (0, 1], the next 24 bits u2 in [0, 1), and the radius σ·sqrt(−2 ln u1) times cos and sin of
// 2π·u2 gives the two. The logarithm and the sine and cosine are polynomials fitted for this
// (relative error under 5e-9 in exact arithmetic), evaluated by the same operations in the portable
// and the vector path, fused multiply-adds included: the floats are the same on every CPU.

#pragma clang fp contract(off)
#if defined(__GNUC__) && !defined(__clang__)
// gcc ignores clang's pragma: the same for a gcc build.
#pragma GCC optimize("fp-contract=off")
#endif

static const uint64_t gamma64 = 0x9E3779B97F4A7C15ull, mix1 = 0xBF58476D1CE4E5B9ull, mix2 = 0x94D049BB133111EBull;

// ln(1 + f) = f + f²·Q(f) for f in [√½ − 1, √2 − 1); Q's coefficients, highest power first.
static const float logQ[] = {-7.473219186e-02f, 1.281952709e-01f, -1.326199919e-01f, 1.419668496e-01f, -1.660859585e-01f,
                             2.000117451e-01f, -2.500157654e-01f, 3.333333731e-01f, -4.999998808e-01f};
// cos 2πt and sin 2πt / t for t in [−1/8, 1/8], in powers of t², highest first.
static const float cosT[] = {5.922028351e+01f, -8.544284821e+01f, 6.493931580e+01f, -1.973920822e+01f, 1.0f};
static const float sinT[] = {-7.539331818e+01f, 8.159234619e+01f, -4.134165955e+01f, 6.283185482e+00f};
// ln 2 in two parts, the first of 9 bits so that e times it is exact for any exponent here.
static const float ln2High = 0.693359375f, ln2Low = -2.121944400546905827679e-4f;
static const float sqrtHalfTimes2 = 1.41421356f;

static inline uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * mix1;
    z = (z ^ (z >> 27)) * mix2;
    return z ^ (z >> 31);
}

static inline float bits_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static inline uint32_t float_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

static void pair_portable(uint64_t z, float sigma, float *first, float *second) {
    // u1 = (k + 1)·2^-24: exact, and its logarithm by exponent and mantissa.
    const float u1 = (float)((uint32_t)(z >> 40) + 1) * 0x1p-24f;
    const uint32_t bits = float_bits(u1);
    int32_t e = (int32_t)(bits >> 23) - 127;
    float m = bits_float((bits & 0x7FFFFF) | 0x3F800000);
    if (m >= sqrtHalfTimes2) { m = m * 0.5f; e += 1; }
    const float f = m - 1.0f;
    float q = logQ[0];
    for (int j = 1; j < 9; j++) q = fmaf(q, f, logQ[j]);
    const float ln = fmaf((float)e, ln2High, fmaf((float)e, ln2Low, fmaf(f * f, q, f)));
    const float radius = sigma * sqrtf(-2.0f * ln);
    // 2π·u2 = quadrant·π/2 + 2πt, with u2 = k'·2^-24, quadrant = round(4·u2) and t = u2 − quadrant/4
    // in [−1/8, 1/8), all in integers, so exactly.
    const int32_t k = (int32_t)((z >> 16) & 0xFFFFFF), quadrant = (k + (1 << 21)) >> 22;
    const float t = (float)(k - (quadrant << 22)) * 0x1p-24f, t2 = t * t;
    float c = cosT[0], s = sinT[0];
    for (int j = 1; j < 5; j++) c = fmaf(c, t2, cosT[j]);
    for (int j = 1; j < 4; j++) s = fmaf(s, t2, sinT[j]);
    s = t * s;
    // Quadrants 1 and 3 swap cosine and sine; the cosine is negative in 1 and 2, the sine in 2 and 3.
    const float a = (quadrant & 1) ? s : c, b = (quadrant & 1) ? c : s;
    *first = radius * bits_float(float_bits(a) ^ ((uint32_t)((quadrant + 1) & 2) << 30));
    *second = radius * bits_float(float_bits(b) ^ ((uint32_t)(quadrant & 2) << 30));
}

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) static inline

// The low 64 bits of a · b, per lane (AVX2 has no 64-bit multiply).
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

// The low 32 bits of the four 64-bit lanes of a, then of b's: eight 32-bit lanes in order.
AVX2_INLINE __m256i low_halves(__m256i a, __m256i b) {
    const __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    return _mm256_permute2x128_si256(_mm256_permutevar8x32_epi32(a, even), _mm256_permutevar8x32_epi32(b, even), 0x20);
}

AVX2_INLINE __m256 horner8(__m256 x, const float *c, int n) {
    __m256 p = _mm256_set1_ps(c[0]);
    for (int j = 1; j < n; j++) p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(c[j]));
    return p;
}

__attribute__((target("avx2,fma")))
static size_t pairs_avx2(uint64_t *states, size_t count, float sigma, float *first, float *second) {
    const __m256i g = _mm256_set1_epi64x((long long)gamma64);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256i s0 = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(states + i)), g);
        const __m256i s1 = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(states + i + 4)), g);
        _mm256_storeu_si256((__m256i *)(states + i), s0);
        _mm256_storeu_si256((__m256i *)(states + i + 4), s1);
        const __m256i z0 = mix4(s0), z1 = mix4(s1);
        const __m256i top = low_halves(_mm256_srli_epi64(z0, 40), _mm256_srli_epi64(z1, 40));
        const __m256i k = _mm256_and_si256(low_halves(_mm256_srli_epi64(z0, 16), _mm256_srli_epi64(z1, 16)), _mm256_set1_epi32(0xFFFFFF));

        const __m256 u1 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(top, _mm256_set1_epi32(1))), _mm256_set1_ps(0x1p-24f));
        const __m256i bits = _mm256_castps_si256(u1);
        __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127));
        __m256 m = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x7FFFFF)), _mm256_set1_epi32(0x3F800000)));
        const __m256 big = _mm256_cmp_ps(m, _mm256_set1_ps(sqrtHalfTimes2), _CMP_GE_OQ);
        m = _mm256_blendv_ps(m, _mm256_mul_ps(m, _mm256_set1_ps(0.5f)), big);
        e = _mm256_sub_epi32(e, _mm256_castps_si256(big));  // the mask is −1 where m was halved
        const __m256 f = _mm256_sub_ps(m, _mm256_set1_ps(1.0f));
        const __m256 q = horner8(f, logQ, 9);
        const __m256 ef = _mm256_cvtepi32_ps(e);
        const __m256 ln = _mm256_fmadd_ps(ef, _mm256_set1_ps(ln2High),
                                          _mm256_fmadd_ps(ef, _mm256_set1_ps(ln2Low), _mm256_fmadd_ps(_mm256_mul_ps(f, f), q, f)));
        const __m256 radius = _mm256_mul_ps(_mm256_set1_ps(sigma), _mm256_sqrt_ps(_mm256_mul_ps(_mm256_set1_ps(-2.0f), ln)));

        const __m256i quadrant = _mm256_srli_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(1 << 21)), 22);
        const __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(k, _mm256_slli_epi32(quadrant, 22))), _mm256_set1_ps(0x1p-24f));
        const __m256 t2 = _mm256_mul_ps(t, t);
        const __m256 c = horner8(t2, cosT, 5), s = _mm256_mul_ps(t, horner8(t2, sinT, 4));
        const __m256 swap = _mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_and_si256(quadrant, _mm256_set1_epi32(1)), _mm256_set1_epi32(1)));
        const __m256 a = _mm256_blendv_ps(c, s, swap), b = _mm256_blendv_ps(s, c, swap);
        const __m256 signA = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_and_si256(_mm256_add_epi32(quadrant, _mm256_set1_epi32(1)), _mm256_set1_epi32(2)), 30));
        const __m256 signB = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_and_si256(quadrant, _mm256_set1_epi32(2)), 30));
        _mm256_storeu_ps(first + i, _mm256_mul_ps(radius, _mm256_xor_ps(a, signA)));
        _mm256_storeu_ps(second + i, _mm256_mul_ps(radius, _mm256_xor_ps(b, signB)));
    }
    return i;
}
#endif

void flyvec_gaussian_pairs(uint64_t *states, size_t count, float sigma, float *first, float *second, int allowVector) {
    size_t i = 0;
#if defined(__x86_64__)
    if (allowVector && flyvec_cpu_avx2_fma()) i = pairs_avx2(states, count, sigma, first, second);
#else
    (void)allowVector;
#endif
    for (; i < count; i++) {
        states[i] += gamma64;
        pair_portable(mix(states[i]), sigma, first + i, second + i);
    }
}
