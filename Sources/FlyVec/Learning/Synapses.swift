import CFlyVecSupport

/// The synapses W (K hidden units × 2·N_voc inputs), stored vocabulary-major and lazily scaled.
/// Only the weights: what the trainer keeps to bound them is its own `SynapseBounds`.
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
    let storage: UnsafeMutablePointer<Float>
    /// Per-unit scale s (padding lanes are 0).
    let scale: UnsafeMutablePointer<Float>
    /// False for the stand-in of a model read without its synapses (`ModelFile.SynapseLoading`):
    /// every weight reads 0 and takes no memory (the pages are never written).
    public let isLoaded: Bool

    /// All-zero synapses of `units` hidden units (K) × `inputs` inputs (2·N_voc), every scale 1.
    /// - Throws: ``FlyVecError`` `outOfSpace` when the system refuses the memory (4·K·inputs bytes).
    public convenience init(units: Int, inputs: Int) throws { try self.init(units: units, inputs: inputs, loaded: true) }

    /// The stand-in for synapses a model file was read without: see `isLoaded`.
    static func notLoaded(units: Int, inputs: Int) throws -> Synapses { try Synapses(units: units, inputs: inputs, loaded: false) }

    private init(units: Int, inputs: Int, loaded: Bool) throws {
        isLoaded = loaded
        self.units = units
        self.inputs = inputs
        stride = (units + 15) / 16 * 16
        let (count, overflow) = inputs.multipliedReportingOverflow(by: stride)
        do {
            if overflow { throw FlyVecError(.outOfSpace, "out of memory: more than \(Int.max) floats") }
            storage = loaded ? try PageMemory.allocate(Float.self, count: count) : try PageMemory.zeros(Float.self, count: count)
        } catch let e as FlyVecError {
            throw FlyVecError(e.kind, "\(e.reason) for synapses of K \(units) × \(inputs) inputs")
        }
        scale = .allocate(capacity: stride)
        scale.initialize(repeating: 0, count: stride)
        for u in 0..<units { scale[u] = 1 }
    }

    deinit {
        PageMemory.deallocate(storage, count: inputs * stride)
        scale.deallocate()
    }

    /// Synapses drawn from N(0, σ) with FlyVec's seeded generator, as the reference's K × 2·N_voc
    /// matrix: each draw of unit u's stream gives the weights of two inputs (2j and 2j + 1, its
    /// j-th draw counted from u·⌈inputs/2⌉), by ``flyvec_gaussian_pairs``.
    /// - Throws: ``FlyVecError`` `outOfSpace` when the system refuses the memory.
    public convenience init(units: Int, inputs: Int, sigma: Double, seed: UInt64) throws {
        try self.init(units: units, inputs: inputs)
        let first = SplitMix64(seed: seed, stream: 0x1417)
        let pairs = (inputs + 1) / 2
        // Each part fills a run of whole rows, one generator per unit, with exactly the values of
        // one sequential pass: the rows are written in order, so each thread first-touches its own
        // pages.
        let parts = max(1, min(64, pairs / 32))
        concurrently(parts) { part in
            let run = (pairs * part / parts)..<(pairs * (part + 1) / parts)
            var states = (0..<units).map { u in first.skipping(UInt64(u) * UInt64(pairs) + UInt64(run.lowerBound)).state }
            // An odd last input's second value has nowhere to go.
            var spare = [Float](repeating: 0, count: inputs % 2 == 1 && run.upperBound == pairs ? units : 0)
            spare.withUnsafeMutableBufferPointer { spare in
                for j in run {
                    let odd = 2 * j + 1 < inputs ? storage + (2 * j + 1) * stride : spare.baseAddress!
                    flyvec_gaussian_pairs(&states, units, Float(sigma), storage + 2 * j * stride, odd, 1)
                }
            }
        }
    }

    /// The true weight W[unit][input].
    @inline(__always)
    public func weight(unit: Int, input: Int) -> Float { scale[unit] * storage[input * stride + unit] }

    /// Whether every scale is folded into U (as at every epoch's end and in every model read).
    public var scalesAreFolded: Bool { (0..<units).allSatisfy { scale[$0] == 1 } }

    /// Calls `body(i, weights)` for each input i of `inputs` with its K true weights: U's own row
    /// when the scales are folded (as after every epoch), else the weights computed into a scratch
    /// row.
    func forEachRow(_ inputs: Range<Int>, _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        let folded = scalesAreFolded
        var scratch = [Float](repeating: 0, count: folded ? 0 : units)
        for i in inputs {
            if folded {
                try body(i, UnsafeBufferPointer(start: storage + i * stride, count: units))
            } else {
                for u in 0..<units { scratch[u] = weight(unit: u, input: i) }
                try scratch.withUnsafeBufferPointer { try body(i, $0) }
            }
        }
    }

    /// Input `input`'s K true weights (one per unit).
    public func row(_ input: Int) -> [Float] {
        (0..<units).map { weight(unit: $0, input: input) }
    }

    /// Multiplies every scale into U so that U holds the true weights and every scale is 1 (bounds
    /// kept on U must be refreshed after).
    public func foldScale() {
        // A stand-in's zeros are read-only, and its scales are all 1.
        guard isLoaded else { return }
        concurrently(Self.chunks) { c in self.multiplyScale(into: self.chunk(c)) }
        resetScale()
    }

    /// The first half of a fold, on `rows` only: each of their weights multiplied by its unit's
    /// scale. Every row must be so multiplied once before `resetScale()`.
    func multiplyScale(into rows: Range<Int>) {
        for i in rows {
            let r = storage + i * stride
            for u in 0..<units { r[u] *= scale[u] }
        }
    }

    /// The second half of a fold: every scale 1.
    func resetScale() {
        for u in 0..<units { scale[u] = 1 }
    }

    /// Row chunks of the whole-matrix passes: fixed, so sums do not depend on the core count.
    static let chunks = 8

    func chunk(_ c: Int) -> Range<Int> { (inputs * c / Self.chunks)..<(inputs * (c + 1) / Self.chunks) }
}
