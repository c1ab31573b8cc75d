/// The synapses W (K hidden units × 2·N_voc inputs), stored vocabulary-major and lazily scaled.
///
/// Row `i` of the storage holds input `i`'s K weights contiguously (padded to a multiple of 16), so
/// a token's contribution to every unit's drive is one contiguous read. The true weight is
/// `W[μ][i] = scale[μ] · U[i][μ]`: the learning rule's decay of a whole unit becomes one multiply
/// of its scale instead of a pass over the matrix (ALGORITHM.md §4).
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
        squares = .allocate(capacity: stride)
        squares.initialize(repeating: 0, count: stride)
        rowBound = .allocate(capacity: inputs)
        rowBound.initialize(repeating: 0, count: inputs)
    }

    deinit {
        storage.deallocate()
        scale.deallocate()
        columnBound.deallocate()
        squares.deallocate()
        rowBound.deallocate()
    }

    /// Synapses drawn from N(0, σ) with FlyVec's seeded generator, unit-major order of draws
    /// (unit 0's weights for inputs 0, 1, …, then unit 1's), as the reference's K × 2·N_voc matrix.
    public convenience init(units: Int, inputs: Int, sigma: Double, seed: UInt64) {
        self.init(units: units, inputs: inputs)
        var rng = SplitMix64(seed: seed, stream: 0x1417)
        for u in 0..<units {
            for i in 0..<inputs { storage[i * stride + u] = Float(rng.nextGaussian(sigma: sigma)) }
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
        for i in 0..<inputs {
            let r = storage + i * stride
            for u in 0..<units { r[u] *= scale[u] }
        }
        for u in 0..<units { scale[u] = 1 }
        refreshColumnStatistics()
    }

    /// Recomputes the column bounds, row bounds and squares exactly from U.
    func refreshColumnStatistics() {
        for u in 0..<stride { columnBound[u] = 0; squares[u] = 0 }
        for i in 0..<inputs {
            let r = storage + i * stride
            var rowMax: Float = 0
            for u in 0..<units {
                let v = r[u]
                columnBound[u] = max(columnBound[u], abs(v))
                rowMax = max(rowMax, abs(v))
                squares[u] += Double(v) * Double(v)
            }
            rowBound[i] = rowMax
        }
    }
}
