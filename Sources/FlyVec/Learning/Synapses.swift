/// The synapses W (K hidden units × 2·N_voc inputs), stored vocabulary-major and lazily scaled.
///
/// Row `i` of the storage holds input `i`'s K weights contiguously (padded to a multiple of 16), so
/// a token's contribution to every unit's drive is one contiguous read. The true weight is
/// `W[μ][i] = scale[μ] · U[i][μ]`: the learning rule's decay of a whole unit becomes one multiply
/// of its scale instead of a pass over the matrix (docs/ALGORITHM.md §4).
public final class Synapses: @unchecked Sendable {
    /// Hidden units K.
    public let units: Int
    /// Inputs 2·N_voc.
    public let inputs: Int
    /// Floats per storage row (K rounded up to 16).
    public let stride: Int
    /// U, `inputs × stride` floats.
    public let storage: UnsafeMutablePointer<Float>
    /// Per-unit scale s (padding lanes are 0).
    public let scale: UnsafeMutablePointer<Float>
    /// Per-unit upper bound of max_i |U[i][μ]|.
    let columnBound: UnsafeMutablePointer<Float>
    /// Per unit, the row that held the column's largest |U| when last known, and an upper bound of
    /// |U| over every other row: the trainer's max |ds| bound can leave out a leader that has a
    /// Hebbian entry (on a small vocabulary it usually does, and the plain bound then fails).
    let leader: UnsafeMutablePointer<Int32>
    let restBound: UnsafeMutablePointer<Float>
    /// Per-input upper bound of max_μ |U[i][μ]|, kept by the thread that owns the row.
    let rowBound: UnsafeMutablePointer<Float>
    /// Per-unit Σ_i U[i][μ]² (for the energy's norms), kept up to date as U changes.
    let squares: UnsafeMutablePointer<Double>

    public init(units: Int, inputs: Int) {
        self.units = units
        self.inputs = inputs
        stride = (units + 15) / 16 * 16
        storage = .allocate(capacity: inputs * stride)
        storage.initialize(repeating: 0, count: inputs * stride)
        scale = .allocate(capacity: stride)
        scale.initialize(repeating: 0, count: stride)
        for u in 0..<units { scale[u] = 1 }
        columnBound = .allocate(capacity: stride)
        columnBound.initialize(repeating: 0, count: stride)
        leader = .allocate(capacity: stride)
        leader.initialize(repeating: 0, count: stride)
        restBound = .allocate(capacity: stride)
        restBound.initialize(repeating: 0, count: stride)
        squares = .allocate(capacity: stride)
        squares.initialize(repeating: 0, count: stride)
        rowBound = .allocate(capacity: inputs)
        rowBound.initialize(repeating: 0, count: inputs)
    }

    deinit {
        storage.deallocate()
        scale.deallocate()
        columnBound.deallocate()
        leader.deallocate()
        restBound.deallocate()
        squares.deallocate()
        rowBound.deallocate()
    }

    /// Synapses drawn from N(0, σ) with FlyVec's seeded generator, unit-major order of draws
    /// (unit 0's weights for inputs 0, 1, …, then unit 1's), as the reference's K × 2·N_voc matrix.
    public convenience init(units: Int, inputs: Int, sigma: Double, seed: UInt64) {
        self.init(units: units, inputs: inputs)
        // Unit u's draws start 2·u·inputs values into the stream (two per sample): blocks of 16 units
        // are drawn in parallel, row by row, with exactly the values of one sequential pass.
        let first = SplitMix64(seed: seed, stream: 0x1417)
        let groups = stride / 16
        concurrently(groups) { g in
            let us = (g * 16)..<min(g * 16 + 16, units)
            var rngs = us.map { u in first.skipping(2 * UInt64(u) * UInt64(inputs)) }
            for i in 0..<inputs {
                let row = storage + i * stride
                for (k, u) in us.enumerated() { row[u] = Float(rngs[k].nextGaussian(sigma: sigma)) }
            }
        }
        refreshColumnStatistics()
    }

    /// The true weight W[unit][input].
    @inline(__always)
    public func weight(unit: Int, input: Int) -> Float { scale[unit] * storage[input * stride + unit] }

    /// Input `input`'s K true weights (one per unit).
    public func row(_ input: Int) -> [Float] {
        (0..<units).map { weight(unit: $0, input: input) }
    }

    /// Multiplies every scale into U so that U holds the true weights and every scale is 1.
    public func foldScale() {
        concurrently(Self.chunks) { c in
            for i in self.chunk(c) {
                let r = self.storage + i * self.stride
                for u in 0..<self.units { r[u] *= self.scale[u] }
            }
        }
        for u in 0..<units { scale[u] = 1 }
        refreshColumnStatistics()
    }

    /// Recomputes the column bounds, leaders, row bounds and squares exactly from U, in a fixed
    /// number of row chunks merged in order (the same result whatever the core count).
    func refreshColumnStatistics() {
        let k = stride, n = Self.chunks
        let top = UnsafeMutablePointer<Float>.allocate(capacity: n * k)
        let second = UnsafeMutablePointer<Float>.allocate(capacity: n * k)
        let where_ = UnsafeMutablePointer<Int32>.allocate(capacity: n * k)
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: n * k)
        defer { top.deallocate(); second.deallocate(); where_.deallocate(); sums.deallocate() }
        top.initialize(repeating: -1, count: n * k)
        second.initialize(repeating: 0, count: n * k)
        where_.initialize(repeating: 0, count: n * k)
        sums.initialize(repeating: 0, count: n * k)
        concurrently(n) { c in
            let t = top + c * k, s2 = second + c * k, w = where_ + c * k, sq = sums + c * k
            for i in self.chunk(c) {
                let r = self.storage + i * k
                var rowMax: Float = 0
                for u in 0..<self.units {
                    let v = r[u], a = abs(v)
                    offer(a, row: Int32(i), top: &t[u], leader: &w[u], rest: &s2[u])
                    rowMax = max(rowMax, a)
                    sq[u] += Double(v) * Double(v)
                }
                self.rowBound[i] = rowMax
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

    /// Row chunks of the whole-matrix passes: fixed, so sums do not depend on the core count.
    private static let chunks = 8

    private func chunk(_ c: Int) -> Range<Int> { (inputs * c / Self.chunks)..<(inputs * (c + 1) / Self.chunks) }
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
