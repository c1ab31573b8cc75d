import CFlyVecSupport

/// What the trainer keeps to bound the synapses' values cheaply: per unit an upper bound of its
/// column's largest |U|, the row holding it and a bound of every other row, per input row a bound of
/// its largest |U|, and per unit Σ_i U[i][μ]² (for the energy's norms). Kept exact at epoch ends and
/// after every fold, and bounds in between (docs/ALGORITHM.md §4).
struct SynapseBounds: ~Copyable {
    /// Per-unit upper bound of max_i |U[i][μ]|.
    let columnBound: UnsafeMutablePointer<Float>
    /// Per unit, the row that held the column's largest |U| when last known, and an upper bound of
    /// |U| over every other row: the trainer's max |ds| bound can leave out a leader that has a
    /// Hebbian entry (on a small vocabulary it usually does, and the plain bound then fails).
    let leader: UnsafeMutablePointer<Int32>
    let restBound: UnsafeMutablePointer<Float>
    /// Per-input upper bound of max_μ |U[i][μ]|, kept by the thread that owns the row.
    let rowBound: UnsafeMutablePointer<Float>
    /// Per-unit Σ_i U[i][μ]², kept up to date as U changes.
    let squares: UnsafeMutablePointer<Double>

    /// The exact bounds of `synapses`; `after` sees each run of rows just after it is measured, as in
    /// `refresh(from:before:after:)`.
    init(of synapses: Synapses, after: (Range<Int>) -> Void = { _ in }) {
        let stride = synapses.stride
        columnBound = .allocate(capacity: stride)
        columnBound.initialize(repeating: 0, count: stride)
        leader = .allocate(capacity: stride)
        leader.initialize(repeating: 0, count: stride)
        restBound = .allocate(capacity: stride)
        restBound.initialize(repeating: 0, count: stride)
        squares = .allocate(capacity: stride)
        squares.initialize(repeating: 0, count: stride)
        rowBound = .allocate(capacity: synapses.inputs)
        rowBound.initialize(repeating: 0, count: synapses.inputs)
        refresh(from: synapses, after: after)
    }

    deinit {
        columnBound.deallocate()
        leader.deallocate()
        restBound.deallocate()
        squares.deallocate()
        rowBound.deallocate()
    }

    /// Recomputes every bound and the squares exactly from `synapses`' U (its scales folded), in
    /// a fixed number of row chunks merged in order (the same result whatever the core count).
    /// `before` and `after` see each run of rows just before and just after it is measured, on the
    /// same thread while the rows are in cache: a fold and the block maxima then take no passes of
    /// their own over the synapses.
    func refresh(from synapses: Synapses, before: (Range<Int>) -> Void = { _ in }, after: (Range<Int>) -> Void = { _ in }) {
        let k = synapses.stride, n = Synapses.chunks, units = synapses.units
        let top = UnsafeMutablePointer<Float>.allocate(capacity: n * k)
        let second = UnsafeMutablePointer<Float>.allocate(capacity: n * k)
        let where_ = UnsafeMutablePointer<Int32>.allocate(capacity: n * k)
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: n * k)
        defer { top.deallocate(); second.deallocate(); where_.deallocate(); sums.deallocate() }
        top.initialize(repeating: -1, count: n * k)
        second.initialize(repeating: 0, count: n * k)
        where_.initialize(repeating: 0, count: n * k)
        sums.initialize(repeating: 0, count: n * k)
        let rowBound = rowBound
        concurrently(n) { c in
            let t = top + c * k, s2 = second + c * k, w = where_ + c * k, sq = sums + c * k
            let rows = synapses.chunk(c)
            // Runs of 16 rows: at most 256 KB at K 4096, which stay in cache between the three steps.
            for first in Swift.stride(from: rows.lowerBound, to: rows.upperBound, by: 16) {
                let run = first..<min(first + 16, rows.upperBound)
                before(run)
                flyvec_column_bounds(synapses.storage, k, units, run.lowerBound, run.upperBound, t, w, s2, sq, rowBound, 1)
                after(run)
            }
        }
        for u in 0..<k {
            var best: Float = -1, row: Int32 = 0, rest: Float = 0, sum = 0.0
            for c in 0..<n where u < units {
                let j = c * k + u
                offer(top[j], row: where_[j], top: &best, leader: &row, rest: &rest)
                rest = max(rest, second[j])
                sum += sums[j]
            }
            columnBound[u] = max(best, 0)
            leader[u] = row
            restBound[u] = rest
            squares[u] = sum
        }
    }
}

/// Offers |U| value `a` of row `row` to a column's running maximum: `top` and its `leader` row, and
/// `rest`, the largest value of any other row. Ties keep the earlier leader.
@inline(__always)
func offer(_ a: Float, row: Int32, top: inout Float, leader: inout Int32, rest: inout Float) {
    if a > top {
        rest = max(rest, top)
        top = a
        leader = row
    } else {
        rest = max(rest, a)
    }
}
