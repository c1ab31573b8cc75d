#include "CFlyVecSupport.h"
#include "cpu.h"

// Products of a set of profile rows with thin matrices, for the profile's principal directions.
// Every sum runs in the same order on both paths, and no multiply is fused with its add, so the
// vector paths (for widths that are multiples of 8) give the portable path's floats exactly.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#define BODY static inline __attribute__((always_inline))

BODY void rows_times(const float *matrix, size_t units, const int64_t *rows, size_t count, const float *thin,
                     size_t width, float *out) {
    for (size_t r = 0; r < count; r++) {
        const float *row = matrix + (size_t)rows[r] * units;
        float *y = out + r * width;
        for (size_t j = 0; j < width; j++) y[j] = 0;
        for (size_t u = 0; u < units; u++) {
            const float z = row[u];
            const float *q = thin + u * width;
            for (size_t j = 0; j < width; j++) y[j] += z * q[j];
        }
    }
}

BODY void rows_transpose_times(const float *matrix, size_t units, const int64_t *rows, size_t count, const float *thin,
                               size_t width, size_t begin, size_t end, float *out) {
    for (size_t i = begin * width; i < end * width; i++) out[i] = 0;
    for (size_t r = 0; r < count; r++) {
        const float *row = matrix + (size_t)rows[r] * units;
        const float *y = thin + r * width;
        for (size_t u = begin; u < end; u++) {
            const float z = row[u];
            float *g = out + u * width;
            for (size_t j = 0; j < width; j++) g[j] += z * y[j];
        }
    }
}

BODY void rows_subtract(float *matrix, size_t units, const int64_t *rows, size_t count, const float *coefficients,
                        size_t width, const float *directions) {
    for (size_t r = 0; r < count; r++) {
        float *row = matrix + (size_t)rows[r] * units;
        for (size_t d = 0; d < width; d++) {
            const float c = coefficients[r * width + d];
            const float *v = directions + d * units;
            for (size_t u = 0; u < units; u++) row[u] -= c * v[u];
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>
#define VECTOR __attribute__((target("avx2")))

// Four rows at a time, eight columns per register: one load of `thin` serves four rows. Each sum
// still adds its terms one by one in unit order.
VECTOR static void rows_times_avx2(const float *matrix, size_t units, const int64_t *rows, size_t count,
                                   const float *thin, size_t width, float *out) {
    size_t r = 0;
    for (; r + 4 <= count; r += 4) {
        const float *a0 = matrix + (size_t)rows[r] * units, *a1 = matrix + (size_t)rows[r + 1] * units;
        const float *a2 = matrix + (size_t)rows[r + 2] * units, *a3 = matrix + (size_t)rows[r + 3] * units;
        for (size_t j = 0; j < width; j += 8) {
            __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
            for (size_t u = 0; u < units; u++) {
                const __m256 q = _mm256_loadu_ps(thin + u * width + j);
                s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_broadcast_ss(a0 + u), q));
                s1 = _mm256_add_ps(s1, _mm256_mul_ps(_mm256_broadcast_ss(a1 + u), q));
                s2 = _mm256_add_ps(s2, _mm256_mul_ps(_mm256_broadcast_ss(a2 + u), q));
                s3 = _mm256_add_ps(s3, _mm256_mul_ps(_mm256_broadcast_ss(a3 + u), q));
            }
            _mm256_storeu_ps(out + r * width + j, s0);
            _mm256_storeu_ps(out + (r + 1) * width + j, s1);
            _mm256_storeu_ps(out + (r + 2) * width + j, s2);
            _mm256_storeu_ps(out + (r + 3) * width + j, s3);
        }
    }
    for (; r < count; r++) {
        const float *a = matrix + (size_t)rows[r] * units;
        for (size_t j = 0; j < width; j += 8) {
            __m256 s = _mm256_setzero_ps();
            for (size_t u = 0; u < units; u++) s = _mm256_add_ps(s, _mm256_mul_ps(_mm256_broadcast_ss(a + u), _mm256_loadu_ps(thin + u * width + j)));
            _mm256_storeu_ps(out + r * width + j, s);
        }
    }
}

// Four rows at a time: each unit's eight sums are loaded and stored once per four rows, and take
// the rows' terms in row order.
VECTOR static void rows_transpose_times_avx2(const float *matrix, size_t units, const int64_t *rows, size_t count,
                                             const float *thin, size_t width, size_t begin, size_t end, float *out) {
    for (size_t i = begin * width; i < end * width; i++) out[i] = 0;
    size_t r = 0;
    for (; r + 4 <= count; r += 4) {
        const float *a0 = matrix + (size_t)rows[r] * units, *a1 = matrix + (size_t)rows[r + 1] * units;
        const float *a2 = matrix + (size_t)rows[r + 2] * units, *a3 = matrix + (size_t)rows[r + 3] * units;
        for (size_t j = 0; j < width; j += 8) {
            const __m256 y0 = _mm256_loadu_ps(thin + r * width + j), y1 = _mm256_loadu_ps(thin + (r + 1) * width + j);
            const __m256 y2 = _mm256_loadu_ps(thin + (r + 2) * width + j), y3 = _mm256_loadu_ps(thin + (r + 3) * width + j);
            for (size_t u = begin; u < end; u++) {
                __m256 g = _mm256_loadu_ps(out + u * width + j);
                g = _mm256_add_ps(g, _mm256_mul_ps(_mm256_broadcast_ss(a0 + u), y0));
                g = _mm256_add_ps(g, _mm256_mul_ps(_mm256_broadcast_ss(a1 + u), y1));
                g = _mm256_add_ps(g, _mm256_mul_ps(_mm256_broadcast_ss(a2 + u), y2));
                g = _mm256_add_ps(g, _mm256_mul_ps(_mm256_broadcast_ss(a3 + u), y3));
                _mm256_storeu_ps(out + u * width + j, g);
            }
        }
    }
    for (; r < count; r++) {
        const float *a = matrix + (size_t)rows[r] * units;
        for (size_t j = 0; j < width; j += 8) {
            const __m256 y = _mm256_loadu_ps(thin + r * width + j);
            for (size_t u = begin; u < end; u++) {
                const __m256 g = _mm256_loadu_ps(out + u * width + j);
                _mm256_storeu_ps(out + u * width + j, _mm256_add_ps(g, _mm256_mul_ps(_mm256_broadcast_ss(a + u), y)));
            }
        }
    }
}

VECTOR static void rows_subtract_avx2(float *m, size_t units, const int64_t *rows, size_t count, const float *c,
                                      size_t width, const float *directions) {
    rows_subtract(m, units, rows, count, c, width, directions);
}
#define USE_VECTOR(allow) ((allow) && width % 8 == 0 && flyvec_cpu_avx2_fma())
#else
#define USE_VECTOR(allow) 0
#define rows_times_avx2 rows_times
#define rows_transpose_times_avx2 rows_transpose_times
#define rows_subtract_avx2 rows_subtract
#endif

void flyvec_rows_times(const float *matrix, size_t units, const int64_t *rows, size_t count, const float *thin,
                       size_t width, float *out, int allowVector) {
    if (USE_VECTOR(allowVector)) rows_times_avx2(matrix, units, rows, count, thin, width, out);
    else rows_times(matrix, units, rows, count, thin, width, out);
}

void flyvec_rows_transpose_times(const float *matrix, size_t units, const int64_t *rows, size_t count, const float *thin,
                                 size_t width, size_t begin, size_t end, float *out, int allowVector) {
    if (USE_VECTOR(allowVector)) rows_transpose_times_avx2(matrix, units, rows, count, thin, width, begin, end, out);
    else rows_transpose_times(matrix, units, rows, count, thin, width, begin, end, out);
}

void flyvec_rows_subtract(float *matrix, size_t units, const int64_t *rows, size_t count, const float *coefficients,
                          size_t width, const float *directions, int allowVector) {
    if (USE_VECTOR(allowVector)) rows_subtract_avx2(matrix, units, rows, count, coefficients, width, directions);
    else rows_subtract(matrix, units, rows, count, coefficients, width, directions);
}
