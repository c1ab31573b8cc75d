#include "CFlyVecSupport.h"
#include "cpu.h"

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

void flyvec_block_maxima(const float *storage, size_t stride, size_t begin, size_t end, float *out, size_t outStride) {
    const size_t blocks = stride / 16;
    for (size_t i = begin; i < end; i++) {
        const float *r = storage + i * stride;
        float *o = out + i * outStride;
        for (size_t g = 0; g < blocks; g++) {
            float m = r[g * 16];
            for (size_t l = 1; l < 16; l++) m = r[g * 16 + l] > m ? r[g * 16 + l] : m;
            o[g] = m;
        }
        for (size_t g = blocks; g < outStride; g++) o[g] = 0;
    }
}
