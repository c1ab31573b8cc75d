// What Swift cannot say itself: a software prefetch hint, a Hamming kernel that uses the POPCNT
// instruction when the CPU has it (chosen at run time, so the default build still runs on CPUs
// without it), and the byte loops of the posting-list search, unrolled without bounds checks.
#ifndef CFLYVEC_SUPPORT_H
#define CFLYVEC_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// Asks the CPU to start loading the cache line at `address` (a hint: it never faults).
static inline void flyvec_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Hamming distances to `query` (7 words) of `count` codes of 385 to 448 bits stored back to
/// back, `stride` bytes each (49…56: the code's bytes, little-endian, without padding).
void flyvec_hamming7(const uint8_t *codes, size_t stride, size_t count, const uint64_t *query, uint16_t *distances);

/// Whether flyvec_hamming7 uses the POPCNT instruction on this CPU.
int flyvec_hamming_uses_popcnt(void);

/// Adds `weight` times the `count` half-precision values `halves` to `sum`; `table` holds the float
/// of every half bit pattern (65,536 values), used where the CPU cannot convert them itself.
void flyvec_add_halves(float *sum, const uint16_t *halves, float weight, size_t count, const float *table);

/// out[i] = the float value of half-precision bit pattern halves[i]: with F16C when `allowF16C`
/// and the CPU has it, else through the caller's table of every pattern's value.
void flyvec_halves_to_floats(float *out, const uint16_t *halves, size_t count, const float *table, int allowF16C);

/// 1 when this CPU converts between float and half precision itself (x86-64 F16C), else 0.
int flyvec_uses_f16c(void);

/// The widest vector path the kernels' `allowVector` can reach on this CPU: 2 with AVX-512 F and DQ
/// (as well as AVX2 and FMA), 1 with AVX2 and FMA, else 0.
int flyvec_vector_level(void);

/// out[i] = values[i] rounded to the nearest half-precision value (ties to even), with F16C: call
/// only when flyvec_uses_f16c() is 1.
void flyvec_floats_to_halves(uint16_t *out, const float *values, size_t count);

/// 1 when no half-precision value is an infinity or NaN, else 0.
int flyvec_halves_finite(const uint16_t *halves, size_t count);

/// 1 when no float is an infinity or NaN, else 0.
int flyvec_floats_finite(const float *values, size_t count);

/// Adds 1 to `shared[base | postings[i]]` for each of the `count` postings (the low 16 bits of
/// positions in the block starting at `base`).
void flyvec_count_postings(uint8_t *shared, const uint16_t *postings, size_t count, size_t base);

/// How many of the `count` bytes hold each value: `histogram` gets 256 counts.
void flyvec_byte_histogram(const uint8_t *values, size_t count, uint32_t *histogram);

/// The positions, ascending, of the first `capacity` of the `count` bytes that are at least
/// `threshold` (1…255), or with `exactly` non-zero equal to it, written to `out`; returns how
/// many were written.
size_t flyvec_positions_at_least(const uint8_t *values, size_t count, uint8_t threshold, int exactly, uint32_t *out, size_t capacity);

/// For each of `count` SplitMix64 generators (`states[i]`, FlyVec's generator's state), one draw z
/// made into two N(0, σ) floats by the Box–Muller transform in single precision: u1 = (bits 40–63
/// of z + 1)·2^-24 in (0, 1], u2 = (bits 16–39)·2^-24 in [0, 1), first[i] = σ·sqrt(−2 ln u1)·cos 2πu2
/// and second[i] the same with sin. Each state advances by one draw. With `allowVector` and AVX2,
/// eight generators at a time, with the same floats.
void flyvec_gaussian_pairs(uint64_t *states, size_t count, float sigma, float *first, float *second, int allowVector);

/// For rows `begin..<end` of `storage` (`stride` floats a row, the first `units` of them weights,
/// the rest zeros), updates per unit the largest |U| seen (`top`, start it at −1), the earliest
/// row holding it (`leader`), the largest |U| of every other row (`rest`) and Σ U² (`squares`,
/// added in row order), and sets `rowBound[i]` to row i's largest |U|. The arrays hold `stride`
/// values. With `allowVector` and AVX2, eight units at a time, with the same results.
void flyvec_column_bounds(const float *storage, size_t stride, size_t units, size_t begin, size_t end,
                          float *top, int32_t *leader, float *rest, double *squares, float *rowBound, int allowVector);

/// Asks the kernel to start writing bytes `offset..<offset + length` of file `fd` to disk, without
/// waiting for them (Linux's sync_file_range; nothing elsewhere). A hint: errors are ignored, and
/// durability still takes an fsync.
void flyvec_start_writeback(int fd, int64_t offset, int64_t length);
/// Turns O_DIRECT on or off for `fd` where the system and file system allow it: 0 when done, -1 when not.
int flyvec_set_uncached(int fd, int on);

/// For each of `n` samples, the unit u < `units` with the largest drive fl(fl(Σ_j weights[rows[j]][u])
/// · scale[u]) (each sum in row order from 0; the first unit of equals), where sample s has
/// `counts[s]` rows at `rows + s * width`; into `winners[s]`. The weights are `stride` floats a
/// row, a multiple of 16. `blockMax` holds, `blockStride` half-precision values a row, an upper
/// bound of each row's weights in every block of 16 units; every scale in block g lies in [scaleLow[g],
/// scaleHigh[g]], both positive; `slack[s]` bounds how far sample s's float sums of its terms can
/// fall from the exact ones. Only the blocks whose bound reaches the best drive found are read.
/// Into `drives[s]`, the winner's drive weighted by `frequency` (one value per row), as
/// flyvec_weighted_drive gives it. `scratch` holds 8 × stride / 16 floats. With `allowVector` and AVX2 with F16C the bookkeeping is in
/// vectors (sixteen lanes with `allowVector` 2 and AVX-512) and the samples' searches overlap (one's
/// memory reads while others compute), with the same results.
/// Unit u's drive weighted by the frequency normalisation: fl(Σ_j fl(frequency[rows[j]] ·
/// weights[rows[j]][u])) over the m rows in order, times scale[u], with no fused multiply-add (the
/// weights are `stride` floats a row).
float flyvec_weighted_drive(const float *weights, size_t stride, const int32_t *rows, size_t m, const float *frequency,
                            const float *scale, size_t u);

void flyvec_bounded_winners(const float *weights, size_t stride, size_t units, const uint16_t *blockMax, size_t blockStride,
                            const int32_t *rows, const int32_t *counts, size_t width, size_t n, const float *scale,
                            const float *scaleHigh, const float *scaleLow, const float *slack, float *scratch,
                            int32_t *winners, const float *frequency, float *drives, int allowVector);

/// For rows `begin..<end` of `storage` (`stride` floats a row, a multiple of 16): out[i·outStride + g]
/// = the smallest half-precision value at least the largest of row i's values in units
/// 16g…16g + 15, for g < stride / 16, and 0 for the rest of the `outStride` values. With
/// `allowVector` and AVX2 with F16C, eight blocks at a time, with the same results.
void flyvec_block_maxima(const float *storage, size_t stride, size_t begin, size_t end, uint16_t *out, size_t outStride,
                         int allowVector);

/// out[i] = the smallest half-precision value at least values[i] (none NaN; past the largest
/// finite half, infinity for a positive value and −65504 for a negative one). With `allowVector`
/// and F16C, eight at a time, with the same results.
void flyvec_halves_at_least(uint16_t *out, const float *values, size_t count, int allowVector);

/// Raises the half-precision upper bound `*bound` to cover `value` (not NaN), if it does not.
void flyvec_raise_half_bound(uint16_t *bound, float value);

/// out[r·width + j] = Σ_u matrix[rows[r]·units + u] · thin[u·width + j] for r < count, j < width:
/// the `count` rows `rows` of `matrix` (`units` floats a row) times `thin` (units × width), each
/// sum in unit order. With `allowVector`, AVX2 and a width that is a multiple of 8, eight or
/// sixteen columns at a time over blocks of units, with the same floats.
void flyvec_rows_times(const float *matrix, size_t units, const int64_t *rows, size_t count, const float *thin,
                       size_t width, float *out, int allowVector);

/// out[u·width + j] = Σ_r matrix[rows[r]·units + u] · thin[r·width + j] for begin ≤ u < end, j < width:
/// the transpose of the rows `rows` of `matrix` times `thin` (count × width), each sum in row
/// order; the other units of `out` are left alone. With `allowVector` and AVX2, the same floats.
void flyvec_rows_transpose_times(const float *matrix, size_t units, const int64_t *rows, size_t count, const float *thin,
                                 size_t width, size_t begin, size_t end, float *out, int allowVector);

/// matrix[rows[r]·units + u] −= coefficients[r·width + d] · directions[d·units + u], for d in
/// order, for every r < count and u < units. With `allowVector` and AVX2, the same floats.
void flyvec_rows_subtract(float *matrix, size_t units, const int64_t *rows, size_t count, const float *coefficients,
                          size_t width, const float *directions, int allowVector);

/// The indices of the min(k, count) largest of `values`, ties to the lower index, written to
/// `out` in ascending order; returns how many. With `allowVector` and AVX2, only the values that
/// can be among them reach the heap (a bound from block maxima, else eight compares at once with
/// the heap's threshold), with the same result, NaN included.
size_t flyvec_top_k(const float *values, size_t count, size_t k, int64_t *out, int allowVector);

/// For every u in begin..<end, adds each of the `count` rows `rows` of `matrix` (`units` floats a
/// row) to sum[u] and its square to square[u], as doubles, in row order. With `allowVector` and
/// AVX2, the same doubles.
void flyvec_unit_moments(const float *matrix, size_t units, const int64_t *rows, size_t count, size_t begin, size_t end,
                         double *sum, double *square, int allowVector);

/// 1 when every value is within half precision's finite range (|x| ≤ 65504, no NaN), else 0.
int flyvec_floats_fit_half(const float *values, size_t count);

#endif
