#include "CFlyVecSupport.h"
#include "cpu.h"
#include <stdlib.h>
#include <string.h>

// Products of a set of profile rows with thin matrices, for the profile's principal directions.
// Every sum runs in the same order on both paths, and no multiply is fused with its add, so the
// vector paths (the products' for widths that are multiples of 8, the subtraction's for any) give
// the portable path's floats exactly.
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

// Units are taken in blocks whose slice of the thin matrix (or of the sums) stays in the core's
// caches: the thin matrices of K 4096 are larger than a core's L2, and walking all of them for
// every few rows left the products waiting on memory. A sum carried from one block to the next is
// stored and loaded unchanged, so each still adds its terms one by one in unit order.
#define UNIT_BLOCK 256

// Four rows at a time, eight columns per register: one load of `thin` serves four rows.
VECTOR static void rows_times_avx2(const float *matrix, size_t units, const int64_t *rows, size_t count,
                                   const float *thin, size_t width, float *out) {
    for (size_t i = 0; i < count * width; i++) out[i] = 0;
    for (size_t u0 = 0; u0 < units; u0 += UNIT_BLOCK) {
        const size_t u1 = u0 + UNIT_BLOCK < units ? u0 + UNIT_BLOCK : units;
        size_t r = 0;
        for (; r + 4 <= count; r += 4) {
            const float *a0 = matrix + (size_t)rows[r] * units, *a1 = matrix + (size_t)rows[r + 1] * units;
            const float *a2 = matrix + (size_t)rows[r + 2] * units, *a3 = matrix + (size_t)rows[r + 3] * units;
            float *y = out + r * width;
            size_t j = 0;
            // Sixteen columns at once where there are: eight independent sums keep the adders busy.
            for (; j + 16 <= width; j += 16) {
                __m256 s0 = _mm256_loadu_ps(y + j), s1 = _mm256_loadu_ps(y + width + j);
                __m256 s2 = _mm256_loadu_ps(y + 2 * width + j), s3 = _mm256_loadu_ps(y + 3 * width + j);
                __m256 t0 = _mm256_loadu_ps(y + j + 8), t1 = _mm256_loadu_ps(y + width + j + 8);
                __m256 t2 = _mm256_loadu_ps(y + 2 * width + j + 8), t3 = _mm256_loadu_ps(y + 3 * width + j + 8);
                for (size_t u = u0; u < u1; u++) {
                    const __m256 q = _mm256_loadu_ps(thin + u * width + j), p = _mm256_loadu_ps(thin + u * width + j + 8);
                    const __m256 b0 = _mm256_broadcast_ss(a0 + u), b1 = _mm256_broadcast_ss(a1 + u);
                    const __m256 b2 = _mm256_broadcast_ss(a2 + u), b3 = _mm256_broadcast_ss(a3 + u);
                    s0 = _mm256_add_ps(s0, _mm256_mul_ps(b0, q));
                    t0 = _mm256_add_ps(t0, _mm256_mul_ps(b0, p));
                    s1 = _mm256_add_ps(s1, _mm256_mul_ps(b1, q));
                    t1 = _mm256_add_ps(t1, _mm256_mul_ps(b1, p));
                    s2 = _mm256_add_ps(s2, _mm256_mul_ps(b2, q));
                    t2 = _mm256_add_ps(t2, _mm256_mul_ps(b2, p));
                    s3 = _mm256_add_ps(s3, _mm256_mul_ps(b3, q));
                    t3 = _mm256_add_ps(t3, _mm256_mul_ps(b3, p));
                }
                _mm256_storeu_ps(y + j, s0);
                _mm256_storeu_ps(y + width + j, s1);
                _mm256_storeu_ps(y + 2 * width + j, s2);
                _mm256_storeu_ps(y + 3 * width + j, s3);
                _mm256_storeu_ps(y + j + 8, t0);
                _mm256_storeu_ps(y + width + j + 8, t1);
                _mm256_storeu_ps(y + 2 * width + j + 8, t2);
                _mm256_storeu_ps(y + 3 * width + j + 8, t3);
            }
            for (; j < width; j += 8) {
                __m256 s0 = _mm256_loadu_ps(y + j), s1 = _mm256_loadu_ps(y + width + j);
                __m256 s2 = _mm256_loadu_ps(y + 2 * width + j), s3 = _mm256_loadu_ps(y + 3 * width + j);
                for (size_t u = u0; u < u1; u++) {
                    const __m256 q = _mm256_loadu_ps(thin + u * width + j);
                    s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_broadcast_ss(a0 + u), q));
                    s1 = _mm256_add_ps(s1, _mm256_mul_ps(_mm256_broadcast_ss(a1 + u), q));
                    s2 = _mm256_add_ps(s2, _mm256_mul_ps(_mm256_broadcast_ss(a2 + u), q));
                    s3 = _mm256_add_ps(s3, _mm256_mul_ps(_mm256_broadcast_ss(a3 + u), q));
                }
                _mm256_storeu_ps(y + j, s0);
                _mm256_storeu_ps(y + width + j, s1);
                _mm256_storeu_ps(y + 2 * width + j, s2);
                _mm256_storeu_ps(y + 3 * width + j, s3);
            }
        }
        for (; r < count; r++) {
            const float *a = matrix + (size_t)rows[r] * units;
            for (size_t j = 0; j < width; j += 8) {
                __m256 s = _mm256_loadu_ps(out + r * width + j);
                for (size_t u = u0; u < u1; u++)
                    s = _mm256_add_ps(s, _mm256_mul_ps(_mm256_broadcast_ss(a + u), _mm256_loadu_ps(thin + u * width + j)));
                _mm256_storeu_ps(out + r * width + j, s);
            }
        }
    }
}

// Four rows at a time: each unit's eight sums are loaded and stored once per four rows, and take
// the rows' terms in row order.
VECTOR static void rows_transpose_times_avx2(const float *matrix, size_t units, const int64_t *rows, size_t count,
                                             const float *thin, size_t width, size_t begin, size_t end, float *out) {
    for (size_t i = begin * width; i < end * width; i++) out[i] = 0;
    for (size_t u0 = begin; u0 < end; u0 += UNIT_BLOCK) {
        const size_t u1 = u0 + UNIT_BLOCK < end ? u0 + UNIT_BLOCK : end;
        size_t r = 0;
        for (; r + 4 <= count; r += 4) {
            const float *a0 = matrix + (size_t)rows[r] * units, *a1 = matrix + (size_t)rows[r + 1] * units;
            const float *a2 = matrix + (size_t)rows[r + 2] * units, *a3 = matrix + (size_t)rows[r + 3] * units;
            size_t j = 0;
            for (; j + 16 <= width; j += 16) {
                const float *y = thin + r * width + j;
                const __m256 y0 = _mm256_loadu_ps(y), y1 = _mm256_loadu_ps(y + width);
                const __m256 y2 = _mm256_loadu_ps(y + 2 * width), y3 = _mm256_loadu_ps(y + 3 * width);
                const __m256 z0 = _mm256_loadu_ps(y + 8), z1 = _mm256_loadu_ps(y + width + 8);
                const __m256 z2 = _mm256_loadu_ps(y + 2 * width + 8), z3 = _mm256_loadu_ps(y + 3 * width + 8);
                for (size_t u = u0; u < u1; u++) {
                    float *o = out + u * width + j;
                    __m256 g = _mm256_loadu_ps(o), h = _mm256_loadu_ps(o + 8);
                    __m256 b = _mm256_broadcast_ss(a0 + u);
                    g = _mm256_add_ps(g, _mm256_mul_ps(b, y0));
                    h = _mm256_add_ps(h, _mm256_mul_ps(b, z0));
                    b = _mm256_broadcast_ss(a1 + u);
                    g = _mm256_add_ps(g, _mm256_mul_ps(b, y1));
                    h = _mm256_add_ps(h, _mm256_mul_ps(b, z1));
                    b = _mm256_broadcast_ss(a2 + u);
                    g = _mm256_add_ps(g, _mm256_mul_ps(b, y2));
                    h = _mm256_add_ps(h, _mm256_mul_ps(b, z2));
                    b = _mm256_broadcast_ss(a3 + u);
                    g = _mm256_add_ps(g, _mm256_mul_ps(b, y3));
                    h = _mm256_add_ps(h, _mm256_mul_ps(b, z3));
                    _mm256_storeu_ps(o, g);
                    _mm256_storeu_ps(o + 8, h);
                }
            }
            for (; j < width; j += 8) {
                const __m256 y0 = _mm256_loadu_ps(thin + r * width + j), y1 = _mm256_loadu_ps(thin + (r + 1) * width + j);
                const __m256 y2 = _mm256_loadu_ps(thin + (r + 2) * width + j), y3 = _mm256_loadu_ps(thin + (r + 3) * width + j);
                for (size_t u = u0; u < u1; u++) {
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
                for (size_t u = u0; u < u1; u++) {
                    const __m256 g = _mm256_loadu_ps(out + u * width + j);
                    _mm256_storeu_ps(out + u * width + j, _mm256_add_ps(g, _mm256_mul_ps(_mm256_broadcast_ss(a + u), y)));
                }
            }
        }
    }
}

// 32 units at a time, every direction's term subtracted while they are in registers (in direction
// order, as the portable path does), so each row is loaded and stored once. The directions are
// first copied so that each block's 32 values of every direction lie together: read in place,
// rows of 4096 floats are 16 KB apart and all fall in the same sets of the L1 cache.
VECTOR static void rows_subtract_avx2(float *m, size_t units, const int64_t *rows, size_t count, const float *c,
                                      size_t width, const float *directions) {
    // A few rows (a contextual code's one) do not repay the copy.
    if (count < 16) { rows_subtract(m, units, rows, count, c, width, directions); return; }
    const size_t blocks = units / 32;
    float *packed = malloc(blocks * width * 32 * sizeof(float));
    if (!packed) { rows_subtract(m, units, rows, count, c, width, directions); return; }
    for (size_t b = 0; b < blocks; b++)
        for (size_t d = 0; d < width; d++)
            memcpy(packed + (b * width + d) * 32, directions + d * units + b * 32, 32 * sizeof(float));
    for (size_t r = 0; r < count; r++) {
        float *row = m + (size_t)rows[r] * units;
        const float *cr = c + r * width;
        for (size_t b = 0; b < blocks; b++) {
            float *x = row + b * 32;
            __m256 x0 = _mm256_loadu_ps(x), x1 = _mm256_loadu_ps(x + 8);
            __m256 x2 = _mm256_loadu_ps(x + 16), x3 = _mm256_loadu_ps(x + 24);
            const float *v = packed + b * width * 32;
            for (size_t d = 0; d < width; d++, v += 32) {
                const __m256 k = _mm256_broadcast_ss(cr + d);
                x0 = _mm256_sub_ps(x0, _mm256_mul_ps(k, _mm256_loadu_ps(v)));
                x1 = _mm256_sub_ps(x1, _mm256_mul_ps(k, _mm256_loadu_ps(v + 8)));
                x2 = _mm256_sub_ps(x2, _mm256_mul_ps(k, _mm256_loadu_ps(v + 16)));
                x3 = _mm256_sub_ps(x3, _mm256_mul_ps(k, _mm256_loadu_ps(v + 24)));
            }
            _mm256_storeu_ps(x, x0);
            _mm256_storeu_ps(x + 8, x1);
            _mm256_storeu_ps(x + 16, x2);
            _mm256_storeu_ps(x + 24, x3);
        }
        for (size_t u = blocks * 32; u < units; u++)
            for (size_t d = 0; d < width; d++) row[u] -= cr[d] * directions[d * units + u];
    }
    free(packed);
}
#define USE_VECTOR_ANY_WIDTH(allow) ((allow) && flyvec_cpu_avx2_fma())
#else
#define USE_VECTOR_ANY_WIDTH(allow) 0
#define rows_times_avx2 rows_times
#define rows_transpose_times_avx2 rows_transpose_times
#define rows_subtract_avx2 rows_subtract
#endif
#define USE_VECTOR(allow) (width % 8 == 0 && USE_VECTOR_ANY_WIDTH(allow))

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
    if (USE_VECTOR_ANY_WIDTH(allowVector)) rows_subtract_avx2(matrix, units, rows, count, coefficients, width, directions);
    else rows_subtract(matrix, units, rows, count, coefficients, width, directions);
}
