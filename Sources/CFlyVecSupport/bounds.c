#include "CFlyVecSupport.h"
#include "cpu.h"
#include "halfbits.h"

// The trainer recomputes these after every fold of the scales: a pass over all K × 2·N_voc
// synapses, which compiled Swift did one unit at a time with a branch each.

static void column_bounds_scalar(const float *storage, size_t stride, size_t units, size_t begin, size_t end,
                                 float *top, int32_t *leader, float *rest, double *squares, float *rowBound) {
    for (size_t i = begin; i < end; i++) {
        const float *r = storage + i * stride;
        float rowMax = 0;
        for (size_t u = 0; u < units; u++) {
            const float v = r[u], a = v < 0 ? -v : v;
            if (a > top[u]) {
                if (top[u] > rest[u]) rest[u] = top[u];
                top[u] = a;
                leader[u] = (int32_t)i;
            } else if (a > rest[u]) {
                rest[u] = a;
            }
            if (a > rowMax) rowMax = a;
            squares[u] += (double)v * (double)v;
        }
        rowBound[i] = rowMax;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

// The same, eight units at a time and branch-free: rest takes min(a, top), which is the old top
// when a leads and a otherwise. Units from `units` up to `stride` are padding and hold zeros.
__attribute__((target("avx2,fma")))
static void column_bounds_avx2(const float *storage, size_t stride, size_t begin, size_t end,
                               float *top, int32_t *leader, float *rest, double *squares, float *rowBound) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (size_t i = begin; i < end; i++) {
        const float *r = storage + i * stride;
        const __m256i row = _mm256_set1_epi32((int32_t)i);
        __m256 rowMax = _mm256_setzero_ps();
        for (size_t u = 0; u < stride; u += 8) {
            const __m256 v = _mm256_loadu_ps(r + u), a = _mm256_andnot_ps(sign, v);
            const __m256 t = _mm256_loadu_ps(top + u);
            const __m256 leads = _mm256_cmp_ps(a, t, _CMP_GT_OQ);
            _mm256_storeu_ps(rest + u, _mm256_max_ps(_mm256_loadu_ps(rest + u), _mm256_min_ps(a, t)));
            _mm256_storeu_ps(top + u, _mm256_max_ps(t, a));
            const __m256i l = _mm256_loadu_si256((const __m256i *)(leader + u));
            _mm256_storeu_si256((__m256i *)(leader + u), _mm256_blendv_epi8(l, row, _mm256_castps_si256(leads)));
            rowMax = _mm256_max_ps(rowMax, a);
            const __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(v)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1));
            _mm256_storeu_pd(squares + u, _mm256_add_pd(_mm256_loadu_pd(squares + u), _mm256_mul_pd(lo, lo)));
            _mm256_storeu_pd(squares + u + 4, _mm256_add_pd(_mm256_loadu_pd(squares + u + 4), _mm256_mul_pd(hi, hi)));
        }
        float m[8];
        _mm256_storeu_ps(m, rowMax);
        float best = 0;
        for (int j = 0; j < 8; j++) if (m[j] > best) best = m[j];
        rowBound[i] = best;
    }
}

#endif

void flyvec_column_bounds(const float *storage, size_t stride, size_t units, size_t begin, size_t end,
                          float *top, int32_t *leader, float *rest, double *squares, float *rowBound, int allowVector) {
#if defined(__x86_64__)
    if (allowVector && stride % 8 == 0 && flyvec_cpu_avx2_fma()) {
        column_bounds_avx2(storage, stride, begin, end, top, leader, rest, squares, rowBound);
        return;
    }
#endif
    column_bounds_scalar(storage, stride, units, begin, end, top, leader, rest, squares, rowBound);
}

// Row r's block maxima from block `from` on, rounded up to half precision, then zeros up to
// `outStride`.
static void block_maxima_row(const float *r, size_t from, size_t blocks, uint16_t *o, size_t outStride) {
    for (size_t g = from; g < blocks; g++) {
        float m = r[g * 16];
        for (size_t l = 1; l < 16; l++) m = r[g * 16 + l] > m ? r[g * 16 + l] : m;
        o[g] = half_at_least(m);
    }
    for (size_t g = blocks; g < outStride; g++) o[g] = 0;
}

#if defined(__x86_64__)
__attribute__((target("avx,f16c")))
static size_t halves_at_least_f16c(uint16_t *out, const float *values, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        _mm_storeu_si128((__m128i *)(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(values + i), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC));
    return i;
}

// Eight maxima at a time, rounded up to half precision by the converter itself.
__attribute__((target("avx2,fma,f16c")))
static void block_maxima_avx2(const float *storage, size_t stride, size_t begin, size_t end, uint16_t *out, size_t outStride) {
    const size_t blocks = stride / 16;
    for (size_t i = begin; i < end; i++) {
        const float *r = storage + i * stride;
        uint16_t *o = out + i * outStride;
        size_t g = 0;
        for (; g + 8 <= blocks; g += 8) {
            float m[8];
            for (size_t b = 0; b < 8; b++) {
                const __m256 x = _mm256_max_ps(_mm256_loadu_ps(r + (g + b) * 16), _mm256_loadu_ps(r + (g + b) * 16 + 8));
                __m128 y = _mm_max_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
                y = _mm_max_ps(y, _mm_movehl_ps(y, y));
                y = _mm_max_ss(y, _mm_shuffle_ps(y, y, 1));
                m[b] = _mm_cvtss_f32(y);
            }
            _mm_storeu_si128((__m128i *)(o + g), _mm256_cvtps_ph(_mm256_loadu_ps(m), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC));
        }
        block_maxima_row(r, g, blocks, o, outStride);
    }
}
#endif

void flyvec_block_maxima(const float *storage, size_t stride, size_t begin, size_t end, uint16_t *out, size_t outStride,
                         int allowVector) {
#if defined(__x86_64__)
    if (allowVector && flyvec_cpu_avx2_fma() && flyvec_uses_f16c()) {
        block_maxima_avx2(storage, stride, begin, end, out, outStride);
        return;
    }
#endif
    for (size_t i = begin; i < end; i++) block_maxima_row(storage + i * stride, 0, stride / 16, out + i * outStride, outStride);
}

void flyvec_halves_at_least(uint16_t *out, const float *values, size_t count, int allowVector) {
    size_t i = 0;
#if defined(__x86_64__)
    if (allowVector && flyvec_uses_f16c()) i = halves_at_least_f16c(out, values, count);
#endif
    for (; i < count; i++) out[i] = half_at_least(values[i]);
}

void flyvec_raise_half_bound(uint16_t *bound, float value) {
    if (value > half_value(*bound)) *bound = half_at_least(value);
}
