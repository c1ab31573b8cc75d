#include "CFlyVecSupport.h"
#include "cpu.h"
#include <math.h>

// The initial synapses are ~80 million Box–Muller samples, and libm's log and cos took most of a
// default training run's first second. The vector path below computes them four at a time with
// polynomials accurate to about 1e-15, which is not libm's rounding: so each float is checked to
// be the one libm's double would round to (every double within 1e-12 of ours rounds to it), and a
// sample that fails the check (about one in 1,500, mostly where cos is near a zero) is computed
// again with libm. The floats are therefore exactly the scalar formula's, and models do not change.

static float box_muller_libm(double u1, double u2, double sigma) {
    return (float)(sigma * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
}

#if defined(__x86_64__)
#include <immintrin.h>

// The series both vector paths evaluate, highest power first: log's odd powers of s after the
// first (1/17 … 1/3), cos r − 1 and sin r − r over r² (to 1/18! and 1/17!).
static const double logOdd[] = {1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3};
static const double cosineSeries[] = {1.0 / 6402373705728000.0, -1.0 / 20922789888000.0, 1.0 / 87178291200.0,
                                -1.0 / 479001600.0, 1.0 / 3628800.0, -1.0 / 40320.0, 1.0 / 720.0, -1.0 / 24.0, 0.5};
static const double sineSeries[] = {1.0 / 355687428096000.0, -1.0 / 1307674368000.0, 1.0 / 6227020800.0,
                              -1.0 / 39916800.0, 1.0 / 362880.0, -1.0 / 5040.0, 1.0 / 120.0, -1.0 / 6.0};

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) static inline

// c[0]·x^(n−1) + c[1]·x^(n−2) + … + c[n−1], by Horner's rule.
AVX2_INLINE __m256d horner(__m256d x, const double *c, int n) {
    __m256d p = _mm256_set1_pd(c[0]);
    for (int j = 1; j < n; j++) p = _mm256_fmadd_pd(p, x, _mm256_set1_pd(c[j]));
    return p;
}

// log(x) for normal x > 0: x = 2^e · m with m in [√½, √2), log m = 2·atanh(s), s = (m − 1)/(m + 1),
// |s| < 0.172; the series to s^17 leaves a relative error under 1e-15.
AVX2 static __m256d log4(__m256d x) {
    const __m256i bits = _mm256_castpd_si256(x);
    const __m256i mantissaMask = _mm256_set1_epi64x(0x000FFFFFFFFFFFFFLL);
    const __m256i one = _mm256_set1_epi64x(0x3FF0000000000000LL);
    __m256d m = _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, mantissaMask), one));
    // The biased exponent as a double: its bits under 2^52's exponent, minus 2^52.
    const __m256i biased = _mm256_srli_epi64(bits, 52);
    const __m256d twoTo52 = _mm256_set1_pd(4503599627370496.0);
    __m256d e = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(biased, _mm256_castpd_si256(twoTo52))), twoTo52);
    e = _mm256_sub_pd(e, _mm256_set1_pd(1023.0));
    const __m256d big = _mm256_cmp_pd(m, _mm256_set1_pd(1.4142135623730951), _CMP_GE_OQ);
    m = _mm256_blendv_pd(m, _mm256_mul_pd(m, _mm256_set1_pd(0.5)), big);
    e = _mm256_add_pd(e, _mm256_and_pd(big, _mm256_set1_pd(1.0)));
    const __m256d s = _mm256_div_pd(_mm256_sub_pd(m, _mm256_set1_pd(1.0)), _mm256_add_pd(m, _mm256_set1_pd(1.0)));
    const __m256d s2 = _mm256_mul_pd(s, s);
    __m256d p = horner(s2, logOdd, 8);
    p = _mm256_mul_pd(p, s2);
    // 2s(1 + p), and e·ln 2 in two parts so that the large multiples keep their precision.
    const __m256d logm = _mm256_fmadd_pd(_mm256_add_pd(s, s), p, _mm256_add_pd(s, s));
    const __m256d ln2hi = _mm256_set1_pd(6.93147180369123816490e-01), ln2lo = _mm256_set1_pd(1.90821492927058770002e-10);
    return _mm256_fmadd_pd(e, ln2hi, _mm256_fmadd_pd(e, ln2lo, logm));
}

// cos(x) for x in [0, 2π]: x = q·π/2 + r with |r| ≤ π/4 (π/2 in two parts, the first of 33 bits
// so that q times it is exact), then ±cos r or ±sin r by the quadrant q. The Taylor series to r^18
// and r^17 leave a relative error under 1e-15 where |cos x| ≥ 1e-3; the caller checks the rest.
AVX2 static __m256d cos4(__m256d x) {
    const __m256d q = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(0.63661977236758134308)),
                                      _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256d p1 = _mm256_set1_pd(1.57079632673412561417e+00);  // the first 33 bits of π/2
    const __m256d p2 = _mm256_set1_pd(6.07710050650619224932e-11);  // π/2 minus p1
    const __m256d r = _mm256_fnmadd_pd(q, p2, _mm256_fnmadd_pd(q, p1, x));
    const __m256d r2 = _mm256_mul_pd(r, r);
    // cos r = 1 − r²/2! + r⁴/4! − … and sin r = r − r³/3! + … (up to 1/18! and 1/17!).
    const __m256d c = _mm256_fnmadd_pd(horner(r2, cosineSeries, 9), r2, _mm256_set1_pd(1.0));
    const __m256d s = _mm256_fmadd_pd(_mm256_mul_pd(horner(r2, sineSeries, 8), r2), r, r);
    // Quadrant q mod 4: 0 → cos r, 1 → −sin r, 2 → −cos r, 3 → sin r.
    const __m128i qi = _mm256_cvtpd_epi32(q);
    const __m256i quadrant = _mm256_cvtepi32_epi64(_mm_and_si128(qi, _mm_set1_epi32(3)));
    const __m256d odd = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(quadrant, _mm256_set1_epi64x(1)), _mm256_set1_epi64x(1)));
    const __m256d negate = _mm256_castsi256_pd(_mm256_cmpeq_epi64(
        _mm256_and_si256(_mm256_add_epi64(quadrant, _mm256_set1_epi64x(1)), _mm256_set1_epi64x(2)), _mm256_set1_epi64x(2)));
    const __m256d v = _mm256_blendv_pd(c, s, odd);
    return _mm256_blendv_pd(v, _mm256_sub_pd(_mm256_setzero_pd(), v), negate);
}

// Four samples as doubles, and the cos factor the check needs.
AVX2_INLINE __m256d sample4(const double *u1, const double *u2, __m256d sigma, __m256d *cosine) {
    const __m256d a = _mm256_loadu_pd(u1), b = _mm256_loadu_pd(u2);
    const __m256d radius = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_set1_pd(-2.0), log4(a)));
    *cosine = cos4(_mm256_mul_pd(_mm256_set1_pd(2.0 * M_PI), b));
    return _mm256_mul_pd(_mm256_mul_pd(sigma, radius), *cosine);
}

// Stores the floats of four samples, computing again with libm those whose float the check cannot
// vouch for: both ends of x ± 1e-12·|x| must round to it, cos must not be near a zero (where a
// relative error grows), and u1 must not be 1 (log gives 0, and the sign of the zero follows cos).
AVX2_INLINE void store4(float *out, __m256d x, __m256d cosine, const double *u1, const double *u2, double sigma) {
    const __m128 f = _mm256_cvtpd_ps(x);
    const __m128 lo = _mm256_cvtpd_ps(_mm256_mul_pd(x, _mm256_set1_pd(1.0 - 1e-12)));
    const __m128 hi = _mm256_cvtpd_ps(_mm256_mul_pd(x, _mm256_set1_pd(1.0 + 1e-12)));
    const int sameFloat = _mm_movemask_ps(_mm_and_ps(_mm_cmpeq_ps(lo, f), _mm_cmpeq_ps(hi, f)));
    const __m256d magnitude = _mm256_andnot_pd(_mm256_set1_pd(-0.0), cosine);
    const int farFromZero = _mm256_movemask_pd(_mm256_cmp_pd(magnitude, _mm256_set1_pd(1e-3), _CMP_GE_OQ));
    const int notOne = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(u1), _mm256_set1_pd(1.0), _CMP_LT_OQ));
    _mm_storeu_ps(out, f);
    const int safe = sameFloat & farFromZero & notOne;
    if (safe != 0xF)
        for (int j = 0; j < 4; j++)
            if (!(safe >> j & 1)) out[j] = box_muller_libm(u1[j], u2[j], sigma);
}

AVX2 static void box_muller_avx2(float *out, const double *u1, const double *u2, size_t count, double sigma) {
    const __m256d sg = _mm256_set1_pd(sigma);
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        __m256d c;
        const __m256d x = sample4(u1 + i, u2 + i, sg, &c);
        store4(out + i, x, c, u1 + i, u2 + i, sigma);
    }
    for (; i < count; i++) out[i] = box_muller_libm(u1[i], u2[i], sigma);
}

// The same computation eight at a time in AVX-512, operation for operation, so each lane gives the
// AVX2 path's double (and the check decides the float the same way).
#define AVX512 __attribute__((target("avx512f,avx512dq,avx2,fma")))
#define AVX512_INLINE __attribute__((target("avx512f,avx512dq,avx2,fma"), always_inline)) static inline

AVX512_INLINE __m512d horner8(__m512d x, const double *c, int n) {
    __m512d p = _mm512_set1_pd(c[0]);
    for (int j = 1; j < n; j++) p = _mm512_fmadd_pd(p, x, _mm512_set1_pd(c[j]));
    return p;
}

AVX512_INLINE __m512d log8(__m512d x) {
    const __m512i bits = _mm512_castpd_si512(x);
    __m512d m = _mm512_castsi512_pd(_mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi64(0x000FFFFFFFFFFFFFLL)),
                                                    _mm512_set1_epi64(0x3FF0000000000000LL)));
    const __m512d twoTo52 = _mm512_set1_pd(4503599627370496.0);
    __m512d e = _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(bits, 52), _mm512_castpd_si512(twoTo52))), twoTo52);
    e = _mm512_sub_pd(e, _mm512_set1_pd(1023.0));
    const __mmask8 big = _mm512_cmp_pd_mask(m, _mm512_set1_pd(1.4142135623730951), _CMP_GE_OQ);
    m = _mm512_mask_mul_pd(m, big, m, _mm512_set1_pd(0.5));
    e = _mm512_mask_add_pd(e, big, e, _mm512_set1_pd(1.0));
    const __m512d s = _mm512_div_pd(_mm512_sub_pd(m, _mm512_set1_pd(1.0)), _mm512_add_pd(m, _mm512_set1_pd(1.0)));
    const __m512d s2 = _mm512_mul_pd(s, s);
    const __m512d p = _mm512_mul_pd(horner8(s2, logOdd, 8), s2);
    const __m512d logm = _mm512_fmadd_pd(_mm512_add_pd(s, s), p, _mm512_add_pd(s, s));
    return _mm512_fmadd_pd(e, _mm512_set1_pd(6.93147180369123816490e-01),
                           _mm512_fmadd_pd(e, _mm512_set1_pd(1.90821492927058770002e-10), logm));
}

AVX512_INLINE __m512d cos8(__m512d x) {
    const __m512d q = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(0.63661977236758134308)),
                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512d r = _mm512_fnmadd_pd(q, _mm512_set1_pd(6.07710050650619224932e-11),
                                       _mm512_fnmadd_pd(q, _mm512_set1_pd(1.57079632673412561417e+00), x));
    const __m512d r2 = _mm512_mul_pd(r, r);
    const __m512d c = _mm512_fnmadd_pd(horner8(r2, cosineSeries, 9), r2, _mm512_set1_pd(1.0));
    const __m512d s = _mm512_fmadd_pd(_mm512_mul_pd(horner8(r2, sineSeries, 8), r2), r, r);
    const __m512i quadrant = _mm512_and_si512(_mm512_cvtpd_epi64(q), _mm512_set1_epi64(3));
    const __mmask8 odd = _mm512_test_epi64_mask(quadrant, _mm512_set1_epi64(1));
    const __mmask8 negate = _mm512_test_epi64_mask(_mm512_add_epi64(quadrant, _mm512_set1_epi64(1)), _mm512_set1_epi64(2));
    const __m512d v = _mm512_mask_blend_pd(odd, c, s);
    return _mm512_mask_sub_pd(v, negate, _mm512_setzero_pd(), v);
}

// Eight samples: the floats stored, and those the check cannot vouch for computed with libm.
AVX512_INLINE void sample8(float *out, __m512d a, __m512d b, __m512d sigma, double sigmaValue) {
    const __m512d radius = _mm512_sqrt_pd(_mm512_mul_pd(_mm512_set1_pd(-2.0), log8(a)));
    const __m512d cosine = cos8(_mm512_mul_pd(_mm512_set1_pd(2.0 * M_PI), b));
    const __m512d x = _mm512_mul_pd(_mm512_mul_pd(sigma, radius), cosine);
    const __m256 f = _mm512_cvtpd_ps(x);
    const __m256 lo = _mm512_cvtpd_ps(_mm512_mul_pd(x, _mm512_set1_pd(1.0 - 1e-12)));
    const __m256 hi = _mm512_cvtpd_ps(_mm512_mul_pd(x, _mm512_set1_pd(1.0 + 1e-12)));
    const int sameFloat = _mm256_movemask_ps(_mm256_and_ps(_mm256_cmp_ps(lo, f, _CMP_EQ_OQ), _mm256_cmp_ps(hi, f, _CMP_EQ_OQ)));
    const __mmask8 farFromZero = _mm512_cmp_pd_mask(_mm512_abs_pd(cosine), _mm512_set1_pd(1e-3), _CMP_GE_OQ);
    const __mmask8 notOne = _mm512_cmp_pd_mask(a, _mm512_set1_pd(1.0), _CMP_LT_OQ);
    _mm256_storeu_ps(out, f);
    const int safe = sameFloat & farFromZero & notOne;
    if (safe != 0xFF) {
        double u1[8], u2[8];
        _mm512_storeu_pd(u1, a);
        _mm512_storeu_pd(u2, b);
        for (int j = 0; j < 8; j++)
            if (!(safe >> j & 1)) out[j] = box_muller_libm(u1[j], u2[j], sigmaValue);
    }
}

AVX512 static size_t box_muller_avx512(float *out, const double *u1, const double *u2, size_t count, double sigma) {
    const __m512d sg = _mm512_set1_pd(sigma);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) sample8(out + i, _mm512_loadu_pd(u1 + i), _mm512_loadu_pd(u2 + i), sg, sigma);
    return i;
}

#endif

void flyvec_box_muller(float *out, const double *u1, const double *u2, size_t count, double sigma, int allowVector) {
#if defined(__x86_64__)
    if (allowVector >= 2 && flyvec_cpu_avx512()) {
        const size_t done = box_muller_avx512(out, u1, u2, count, sigma);
        out += done, u1 += done, u2 += done, count -= done;
    }
    if (allowVector && flyvec_cpu_avx2_fma()) {
        box_muller_avx2(out, u1, u2, count, sigma);
        return;
    }
#endif
    for (size_t i = 0; i < count; i++) out[i] = box_muller_libm(u1[i], u2[i], sigma);
}
