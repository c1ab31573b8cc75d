import CFlyVecSupport
import Dispatch

/// The minibatch winner-take-all learning rule of docs/ALGORITHM.md §3, on many threads.
///
/// Per batch: (A) every sample's winner and weighted drive, threads splitting the batch while W is
/// read-only, each filing the sample's Hebbian entries by the thread that owns their row; (B) xx per
/// unit, summed in sample order; (C) the Hebbian sums, each thread owning the rows
/// `row % threads == t` and summing its filed entries in sample order; (D) the exact max |ds|, from the Hebbian
/// entries and a per-unit bound, with a dense scan only when the bound cannot settle it; (E) the
/// decay as a change of each unit's scale and the Hebbian adds on the owned rows. Every sum has a
/// fixed order, so the model is bit-identical whatever the thread count. Phase A finds a sample's
/// winner from per-block bounds of U where it can (`boundedDrive`), with the same result.
public final class Trainer: @unchecked Sendable {
    /// The synapses trained in place (the model's own, not a copy).
    public let synapses: Synapses
    /// The training samples: the windows of the encoded corpus.
    public let windows: Windows
    /// The options in force: as given, the batch chosen from the window count when `adaptsBatch`.
    public let options: TrainingOptions
    /// Threads each batch is split over (at least 1); the result does not depend on their number.
    public let threads: Int
    /// f per input row.
    public let frequency: [Float]
    /// Windows per epoch: the corpus's, or with a cluster the whole corpus's over every rank.
    public let windowCount: Int
    /// The cluster and this rank's share of the corpus when training across processes.
    let share: TrainingShare?
    /// What this rank exchanged with the others (all zero without a cluster).
    public var exchanged = ExchangeCounts()
    /// The exchange's per-batch buffers, kept from batch to batch (empty without a cluster).
    var exchangeBuffers = ExchangeBuffers()

    /// The window starts, shuffled in place epoch after epoch; `orderEpoch` says whose order it is.
    var order = IdBuffer()
    var orderEpoch = Int.min
    /// Where window-start buffers spill to a mapped file.
    public var spillBytes = IdBuffer.defaultSpillBytes
    /// Where they go (default: `TMPDIR`, else `/tmp`).
    public var spillDirectory: String?

    private let maxBatch: Int
    let width: Int
    /// Every buffer of a batch.
    let scratch: TrainerScratch
    /// Bounds of the synapses' values, for the max |ds| bound.
    private let bounds: SynapseBounds
    /// Per input row and block of 16 units, an upper bound of U's values in the block
    /// (`boundedDrive`): `blockStride` half-precision values a row, rounded up, so that a
    /// sample's bounds take half the cache lines of floats.
    private var blockMax: UnsafeMutablePointer<UInt16>?
    /// Whether the last fold left `bounds` and `blockMax` to be renewed.
    private var boundsStale = false
    private let blockStride: Int
    /// Per block, the largest and smallest scale of its units, renewed every batch.
    private let blockScaleMax: UnsafeMutablePointer<Float>
    private let blockScaleMin: UnsafeMutablePointer<Float>
    /// Whether this batch's phase A uses the block bounds (every scale positive).
    private var boundsThisBatch = false
    static let runnerFlag: UInt64 = 1 << 63

    /// - Parameters:
    ///   - synapses: trained in place.
    ///   - options: with `adaptsBatch`, the batch is chosen from the window count (`options` then
    ///     holds the batch used).
    ///   - windows: the samples, over the corpus encoded with the model's vocabulary.
    ///   - counts: the corpus count of every vocabulary id (for f).
    ///   - threads: worker threads; the result does not depend on their number.
    public convenience init(synapses: Synapses, windows: Windows, counts: [Int], options: TrainingOptions, threads: Int) throws {
        try self.init(synapses: synapses, windows: windows, counts: counts, options: options, threads: threads, share: nil)
    }

    /// As the public init; with a `share`, `windows` are this rank's and the batches are split
    /// across the cluster's ranks (`Trainer+Cluster.swift`).
    init(synapses: Synapses, windows: Windows, counts: [Int], options: TrainingOptions, threads: Int,
         share: TrainingShare?) throws {
        try options.validate()
        guard threads >= 1 else { throw FlyVecError.parameter("threads", "must be at least 1 (got \(threads))") }
        guard synapses.inputs == 2 * windows.vocabularySize, counts.count == windows.vocabularySize,
              synapses.units == options.hidden, windows.width == options.window else {
            throw FlyVecError(.mismatch, "synapses, vocabulary, windows and options disagree in size")
        }
        guard synapses.isLoaded else {
            throw FlyVecError(.mismatch, "the model was read without its synapses (ModelFile.SynapseLoading): read it whole to train it")
        }
        self.synapses = synapses
        self.windows = windows
        self.share = share
        windowCount = share?.windows ?? windows.count
        let options = options.resolved(windows: windowCount)
        self.options = options
        self.threads = threads
        let f = counts.map { c -> Float in
            Float(options.frequencyPower == 1 ? 1.0 / Double(max(c, 1)) : _pow(Double(max(c, 1)), -options.frequencyPower))
        }
        frequency = f + f
        maxBatch = options.batch
        width = options.window
        scratch = TrainerScratch(batch: maxBatch, width: width, stride: synapses.stride, threads: threads,
                                 antiHebbian: options.delta > 0)
        let blockStride = (synapses.stride / 16 + 15) / 16 * 16
        self.blockStride = blockStride
        // The block bounds are taken in the same pass as the other bounds, each run of rows while
        // it is in cache (the synapses are 656 MB at K 4096).
        let bm = Self.blockBoundsMemory(options: options, share: share, inputs: synapses.inputs, blockStride: blockStride)
        bounds = SynapseBounds(of: synapses) { rows in
            if let bm { Self.blockMaxima(of: synapses, rows: rows, into: bm, blockStride: blockStride) }
        }
        blockMax = bm
        blockScaleMax = .allocate(capacity: blockStride)
        blockScaleMin = .allocate(capacity: blockStride)
    }

    deinit {
        boundedDrive = false
        blockScaleMax.deallocate()
        blockScaleMin.deallocate()
    }

    /// Whether the forward pass finds each sample's winner from per-block bounds of U: it sums the
    /// bounds of the sample's rows for every block of 16 units and reads only the blocks whose
    /// bound reaches the best drive found, about one in twenty on en-mix instead of all K. The
    /// blocks read are summed as the full pass sums them, so the model is the same either way.
    /// On by default without a cluster, for the plain drive (p 2) without the anti-Hebbian term;
    /// it cannot be turned on otherwise, nor when the system refuses the bounds' memory (K/8 bytes
    /// an input).
    public var boundedDrive: Bool {
        get { blockMax != nil }
        set {
            if newValue, blockMax == nil,
               let bm = Self.blockBoundsMemory(options: options, share: share, inputs: synapses.inputs, blockStride: blockStride) {
                blockMax = bm
                renewBlockMax()
            } else if !newValue, let bm = blockMax {
                PageMemory.deallocate(bm, count: synapses.inputs * blockStride)
                blockMax = nil
            }
        }
    }

    /// Decides whether the coming phase A uses the block bounds: with them, renews each block's
    /// largest and smallest scale, and takes the full pass when a scale is not positive (the sign
    /// of that unit's drive is then not the sign of its sum).
    private func prepareBoundedDrive() {
        guard blockMax != nil else { boundsThisBatch = false; return }
        let syn = synapses
        var positive = true
        // Every block below stride / 16 holds at least one unit; the bounds use no others.
        for g in 0..<(syn.stride / 16) {
            var high: Float = 0, low = Float.infinity
            for u in (g * 16)..<min(g * 16 + 16, syn.units) {
                let s = syn.scale[u]
                guard s > 0 && s.isFinite else { positive = false; break }
                high = max(high, s)
                low = min(low, s)
            }
            blockScaleMax[g] = high
            blockScaleMin[g] = low
        }
        boundsThisBatch = positive
    }

    /// Sets every block bound to its block's largest value of U rounded up to half precision
    /// (padding units count as 0).
    private func renewBlockMax() {
        concurrently(Synapses.chunks) { c in self.renewBlockMax(synapses.chunk(c)) }
    }

    private func renewBlockMax(_ rows: Range<Int>) {
        guard let bm = blockMax else { return }
        Self.blockMaxima(of: synapses, rows: rows, into: bm, blockStride: blockStride)
    }

    /// Each block's largest value of U over `rows`, rounded up to half precision, into `bm`.
    private static func blockMaxima(of synapses: Synapses, rows: Range<Int>, into bm: UnsafeMutablePointer<UInt16>, blockStride: Int) {
        flyvec_block_maxima(synapses.storage, synapses.stride, rows.lowerBound, rows.upperBound, bm, blockStride, 1)
    }

    /// Memory for the block bounds (not yet filled), where they can serve: the plain drive (p 2)
    /// without the anti-Hebbian term, in one process, and the system grants the memory.
    private static func blockBoundsMemory(options: TrainingOptions, share: TrainingShare?, inputs: Int,
                                          blockStride: Int) -> UnsafeMutablePointer<UInt16>? {
        guard share == nil, options.p == 2, options.delta == 0 else { return nil }
        return try? PageMemory.allocate(UInt16.self, count: inputs * blockStride)
    }

    /// The thread that owns input row `row`: `row % threads`, without a division when the thread
    /// count is a power of two (a division per Hebbian entry was measurable).
    @inline(__always)
    func owner(of row: Int) -> Int {
        threads & (threads - 1) == 0 ? row & (threads - 1) : row % threads
    }

    /// Folds the scales into U and renews the bounds, which were kept on U; or, with
    /// `refreshingBounds` false (an epoch's end), leaves that to the next batch, if any: after a
    /// run's last epoch those two passes over the synapses would serve nothing.
    func fold(refreshingBounds: Bool = true) {
        if refreshingBounds {
            renewBounds(folding: true)
        } else {
            synapses.foldScale()
            boundsStale = true
        }
    }

    /// Renews the bounds and block maxima if a fold left them behind.
    private func refreshStaleBounds() {
        guard boundsStale else { return }
        renewBounds(folding: false)
    }

    /// The bounds and block maxima measured afresh in one pass over the synapses, each run of rows
    /// (with `folding`, first multiplied by its scales) measured and given its block maxima while
    /// in cache.
    private func renewBounds(folding: Bool) {
        let syn = synapses
        bounds.refresh(from: syn, before: { if folding { syn.multiplyScale(into: $0) } }, after: { self.renewBlockMax($0) })
        if folding { syn.resetScale() }
        boundsStale = false
    }

    /// Runs `body(t)` for t in 0..<threads; each writes only its own slice (see the phase comments).
    func parallel(_ body: (Int) -> Void) { concurrently(threads, body) }

    /// Trains on one minibatch of window starts (at most `options.batch`).
    @discardableResult
    public func trainBatch(_ starts: [UInt32], learningRate: Float) -> BatchResult {
        // The kernel reads the ids unchecked: a start must begin a window inside the corpus.
        precondition(share == nil, "a trainer of a cluster trains through trainEpoch")
        precondition(starts.allSatisfy { Int($0) + width <= windows.corpus.tokenCount }, "a start past the corpus's last window")
        // Without a cluster nothing in a batch can throw.
        return starts.withUnsafeBufferPointer { try! trainBatch($0, learningRate: learningRate) }
    }

    /// Trains on one minibatch; throws only when a cluster's exchange fails.
    @discardableResult
    func trainBatch(_ starts: UnsafeBufferPointer<UInt32>, learningRate: Float) throws -> BatchResult {
        precondition(starts.count <= maxBatch)
        let n = starts.count
        let syn = synapses
        let units = syn.units, stride = syn.stride, T = threads
        refreshStaleBounds()
        for u in 0..<units { scratch.norms[u] = Float(Double(abs(syn.scale[u])) * bounds.squares[u].squareRoot()) }

        prepareBoundedDrive()
        // (A) scratch.winners and scratch.drives; W read-only.
        if let share {
            try forwardAcross(starts, share: share)
        } else {
            parallel { t in
                let lo = n * t / T, hi = n * (t + 1) / T
                self.forward(starts, lo..<hi, thread: t, fileEntries: true)
            }
        }
        // (B) scratch.xx per unit, in sample order.
        scratch.xx.initialize(repeating: 0, count: stride)
        var energy = 0.0
        let delta = Float(options.delta)
        for b in 0..<n {
            scratch.xx[Int(scratch.winners[b])] += scratch.drives[b]
            if delta > 0 { scratch.xx[Int(scratch.runners[b])] -= delta * scratch.runnerDrives[b] }
            energy += scratch.energies[b]
        }
        // (C) Hebbian sums per owned row, and the exact max over those scratch.entries.
        var hebbianMax = [Float](repeating: 0, count: T)
        let tableBase = scratch.tables
        hebbianMax.withUnsafeMutableBufferPointer { hm in
            nonisolated(unsafe) let hm = hm
            parallel { t in hm[t] = self.collectHebbian(n, table: &tableBase[t], owner: t) }
        }
        var nc = hebbianMax.max()!
        // (D) The scratch.entries outside the Hebbian sums: bounded by |scratch.xx s| max|U| per unit, where the max
        // leaves out the column's leader row when that row has a Hebbian entry for the unit.
        var bound: Float = 0
        for u in 0..<units {
            let lead = Int(bounds.leader[u])
            let column = tableBase[owner(of: lead)].contains(HebbianTable.key(row: lead, unit: u))
                ? bounds.restBound[u] : bounds.columnBound[u]
            scratch.effectiveBound[u] = column
            bound = max(bound, abs(scratch.xx[u] * syn.scale[u]) * column)
        }
        let scanned = bound > nc
        if scanned { nc = max(nc, exactDecayMax(below: nc)) }
        let normaliser = max(nc, 1e-30)
        let c = learningRate / normaliser

        // (E) Apply: decay as a scale change, then the Hebbian adds on owned rows.
        var needFold = false
        for u in 0..<units where scratch.xx[u] != 0 {
            let s = syn.scale[u] * (1 - c * scratch.xx[u])
            syn.scale[u] = s
            if !(abs(s) > 1e-4 && abs(s) < 1e4) { needFold = true }
        }
        if needFold { fold() }
        parallel { t in self.applyHebbian(table: &tableBase[t], owner: t, rate: c) }
        for t in 0..<T {
            let pm = scratch.partialMax + t * stride, ps = scratch.partialSquares + t * stride
            for u in 0..<units {
                bounds.columnBound[u] = max(bounds.columnBound[u], pm[u])
                bounds.squares[u] += ps[u]
            }
        }
        updateLeaders()
        return BatchResult(energy: energy, normaliser: normaliser, scanned: scanned)
    }

    /// Phase A alone, for the forward-only benchmark.
    func forwardBatch(_ starts: UnsafeBufferPointer<UInt32>) {
        let n = starts.count, T = threads
        refreshStaleBounds()
        prepareBoundedDrive()
        parallel { t in self.forward(starts, (n * t / T)..<(n * (t + 1) / T), thread: t, fileEntries: false) }
    }

    /// Phase A for samples `range` on thread `thread`: rows, winner, runner-up, weighted scratch.drives,
    /// energy terms, and (if `fileEntries`) the Hebbian scratch.entries filed by owner.
    func forward(_ starts: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, thread: Int, fileEntries: Bool) {
        for o in 0..<threads { scratch.entryCounts[(thread * threads + o) * 8] = 0 }
        if boundsThisBatch, let bm = blockMax {
            forwardBounded(bm, starts, range, thread: thread, fileEntries: fileEntries)
            return
        }
        let buffer = scratch.drive + thread * synapses.stride
        let syn = synapses
        let units = syn.units, stride = syn.stride, chunks = stride / 16
        let U = syn.storage
        let wantRunner = options.delta > 0
        for b in range {
            prefetchAhead(starts, b, range) { r in
                for line in Swift.stride(from: 0, to: stride, by: 16) { flyvec_prefetch(U + r * stride + line) }
            }
            let sampleRows = scratch.rows + thread * width
            let m = rows(ofWindowAt: Int(starts[b]), into: sampleRows)
            if options.p != 2 { powerDrive(sampleRows, m, buffer) } else { plainDrive(sampleRows, m, buffer) }
            for u in units..<stride { buffer[u] = -.infinity }
            let win = argmax(buffer, chunks)
            finish(sample: b, winner: win, sampleRows, m)
            if wantRunner {
                buffer[win] = -.infinity
                let second = argmax(buffer, chunks)
                scratch.runners[b] = Int32(second)
                scratch.runnerDrives[b] = weightedDrive(second, sampleRows, m)
            }
            if fileEntries { file(sampleRows, m, sample: b, thread: thread) }
        }
    }

    /// Phase A with the block bounds `bm` (plain drive, no runner-up): see `boundedDrive`. The
    /// samples are searched `TrainerScratch.chunk` at a time, so that their memory reads overlap.
    private func forwardBounded(_ bm: UnsafeMutablePointer<UInt16>, _ starts: UnsafeBufferPointer<UInt32>, _ range: Range<Int>,
                                thread: Int, fileEntries: Bool) {
        let syn = synapses, bs = blockStride, chunk = TrainerScratch.chunk
        let buffer = scratch.drive + thread * syn.stride
        let chunkRows = scratch.rows + thread * chunk * width
        let counts = scratch.rowCounts + thread * chunk, slack = scratch.slack + thread * chunk
        for first in Swift.stride(from: range.lowerBound, to: range.upperBound, by: chunk) {
            let end = min(first + chunk, range.upperBound)
            for b in first..<end {
                prefetchAhead(starts, b, range) { r in
                    for line in Swift.stride(from: 0, to: bs, by: 32) { flyvec_prefetch(bm + r * bs + line) }
                }
                let sampleRows = chunkRows + (b - first) * width
                let m = rows(ofWindowAt: Int(starts[b]), into: sampleRows)
                counts[b - first] = Int32(m)
                // A unit's float drive fl(fl(Σ_j U) · s) stays under its block's bound: the float
                // sums of m terms (the bounds' and the drive's) are each within m·2^-24 of the rows'
                // bounds R of the exact sums (the half-precision bounds exceed R by at most 2^-10 of
                // it, which 6.0e-8 over 2^-24 covers seven times), and the margin on each bound
                // covers the products' rounding.
                var rowSum: Float = 0
                for j in 0..<m { rowSum += bounds.rowBound[Int(sampleRows[j])] }
                slack[b - first] = Float(2 * m) * 6.0e-8 * rowSum
            }
            frequency.withUnsafeBufferPointer { f in
                flyvec_bounded_winners(syn.storage, syn.stride, syn.units, bm, bs, chunkRows, counts, width, end - first, syn.scale,
                                       blockScaleMax, blockScaleMin, slack, buffer, scratch.winners + first, f.baseAddress!,
                                       scratch.drives + first, 2)
            }
            for b in first..<end {
                record(sample: b, winner: Int(scratch.winners[b]), drive: scratch.drives[b])
                if fileEntries { file(chunkRows + (b - first) * width, Int(counts[b - first]), sample: b, thread: thread) }
            }
        }
    }

    /// Requests the ids of the sample sixteen ahead of `b` and, through `prefetchRow`, the rows of
    /// the sample four ahead.
    @inline(__always)
    private func prefetchAhead(_ starts: UnsafeBufferPointer<UInt32>, _ b: Int, _ range: Range<Int>, _ prefetchRow: (Int) -> Void) {
        let ids = windows.corpus.ids, w = width
        if b + 16 < range.upperBound {
            // Shuffled starts make each window's ids a cache miss, which otherwise stalls the row
            // prefetch below.
            let far = Int(starts[b + 16])
            flyvec_prefetch(ids.baseAddress! + far)
            flyvec_prefetch(ids.baseAddress! + far + w - 1)
        }
        if b + 4 < range.upperBound {
            let ahead = Int(starts[b + 4])
            for k in 0..<w {
                guard let r = windows.shape.row(offset: k, id: Int(ids[ahead + k]), vocabularySize: windows.vocabularySize) else { continue }
                prefetchRow(r)
            }
        }
    }

    /// The input rows of the window starting at `start` (holes left out) into `sampleRows`; returns
    /// their number.
    @inline(__always)
    private func rows(ofWindowAt start: Int, into sampleRows: UnsafeMutablePointer<Int32>) -> Int {
        let ids = windows.corpus.ids, shape = windows.shape, nVoc = windows.vocabularySize
        var m = 0
        for k in 0..<width {
            guard let r = shape.row(offset: k, id: Int(ids[start + k]), vocabularySize: nVoc) else { continue }
            sampleRows[m] = Int32(r)
            m += 1
        }
        return m
    }

    /// s_μ Σ_j U[row j][μ] for every unit into `buffer`, each unit's sum in row order.
    @inline(__always)
    private func plainDrive(_ sampleRows: UnsafeMutablePointer<Int32>, _ m: Int, _ buffer: UnsafeMutablePointer<Float>) {
        let U = synapses.storage, scale = synapses.scale, stride = synapses.stride
        for ch in 0..<(stride / 16) {
            var sum = SIMD16<Float>(repeating: 0)
            for j in 0..<m {
                sum += UnsafeRawPointer(U + Int(sampleRows[j]) * stride + ch * 16).loadUnaligned(as: SIMD16<Float>.self)
            }
            let s = UnsafeRawPointer(scale + ch * 16).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(buffer + ch * 16).storeBytes(of: sum * s, as: SIMD16<Float>.self)
        }
    }

    /// x = s_μ Σ_i f_i v_i U[i][μ]: unit `unit`'s drive weighted by the frequency normalisation.
    @inline(__always)
    private func weightedDrive(_ unit: Int, _ sampleRows: UnsafeMutablePointer<Int32>, _ m: Int) -> Float {
        // The bounded search's own arithmetic (flyvec_bounded_winners), so that both paths agree.
        frequency.withUnsafeBufferPointer { f in
            flyvec_weighted_drive(synapses.storage, synapses.stride, sampleRows, m, f.baseAddress!, synapses.scale, unit)
        }
    }

    /// Records sample `b`'s winner, weighted drive and energy term.
    @inline(__always)
    private func finish(sample b: Int, winner: Int, _ sampleRows: UnsafeMutablePointer<Int32>, _ m: Int) {
        record(sample: b, winner: winner, drive: weightedDrive(winner, sampleRows, m))
    }

    /// Records sample `b`'s winner, its weighted drive `x` and energy term.
    @inline(__always)
    private func record(sample b: Int, winner: Int, drive x: Float) {
        scratch.winners[b] = Int32(winner)
        scratch.drives[b] = x
        let norm = scratch.norms[winner]
        scratch.energies[b] = norm > 0 ? -Double(x) / Double(norm) : 0
    }

    /// Files sample `b`'s Hebbian entries (its `m` rows with its winner, and runner-up when
    /// anti-Hebbian) in the regions of phase-A thread `thread`, by the thread owning each row.
    @inline(__always)
    func file(_ sampleRows: UnsafeMutablePointer<Int32>, _ m: Int, sample b: Int, thread: Int) {
        let T = threads
        let win = Int(scratch.winners[b])
        for j in 0..<m {
            let r = Int(sampleRows[j])
            let region = thread * T + owner(of: r)
            let at = scratch.entries + region * scratch.entryCapacity
            var c = scratch.entryCounts[region * 8]
            at[c] = HebbianTable.key(row: r, unit: win)
            c += 1
            if options.delta > 0 {
                at[c] = HebbianTable.key(row: r, unit: Int(scratch.runners[b])) | Self.runnerFlag
                c += 1
            }
            scratch.entryCounts[region * 8] = c
        }
    }

    /// The Krotov–Hopfield drive Σ_i sign(W)|W|^(p−1) v_i, factored as sign(s)|s|^(p−1) · Σ g(U).
    private func powerDrive(_ sampleRows: UnsafeMutablePointer<Int32>, _ m: Int, _ buffer: UnsafeMutablePointer<Float>) {
        let syn = synapses
        let e = Float(options.p - 1)
        for u in 0..<syn.units {
            var sum: Float = 0
            for j in 0..<m {
                let v = syn.storage[Int(sampleRows[j]) * syn.stride + u]
                sum += v < 0 ? -_powf(-v, e) : _powf(v, e)
            }
            let s = syn.scale[u]
            buffer[u] = (s < 0 ? -_powf(-s, e) : _powf(s, e)) * sum
        }
    }

    /// The first index of the largest value among `chunks`·16 floats.
    @inline(__always)
    private func argmax(_ buffer: UnsafeMutablePointer<Float>, _ chunks: Int) -> Int {
        var best = SIMD16<Float>(repeating: -.infinity)
        var where_ = SIMD16<Int32>(repeating: 0)
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        for ch in 0..<chunks {
            let v = UnsafeRawPointer(buffer + ch * 16).loadUnaligned(as: SIMD16<Float>.self)
            let better = v .> best  // strict: each lane keeps its first maximum
            best.replace(with: v, where: better)
            where_.replace(with: lanes &+ Int32(ch * 16), where: better)
        }
        var top = best[0], index = where_[0]
        for l in 1..<16 where best[l] > top || (best[l] == top && where_[l] < index) {
            top = best[l]
            index = where_[l]
        }
        return Int(index)
    }

    /// Phase C for one owner: sums f per (row, unit) in sample order (phase-A threads' scratch.entries in
    /// thread order, each in its samples' order); returns max |ds| over them.
    private func collectHebbian(_ n: Int, table: inout HebbianTable, owner: Int) -> Float {
        let delta = Float(options.delta)
        let T = threads
        frequency.withUnsafeBufferPointer { f in
            for a in 0..<T {
                let region = a * T + owner
                let at = scratch.entries + region * scratch.entryCapacity, count = scratch.entryCounts[region * 8]
                for e in 0..<count {
                    // Table slots and weights are cache misses: requested a few scratch.entries ahead.
                    if e + 8 < count { table.prefetch(at[e + 8] & ~Self.runnerFlag) }
                    let key = at[e]
                    if key & Self.runnerFlag == 0 {
                        table.add(key, f[Int(key >> 20)])
                    } else {
                        let k = key & ~Self.runnerFlag
                        table.add(k, -delta * f[Int(k >> 20)])
                    }
                }
            }
        }
        let syn = synapses
        var top: Float = 0
        for j in 0..<table.count {
            if j + 8 < table.count { prefetchWeight(table.entry(j + 8).key) }
            let e = table.entry(j)
            let r = Int(e.key >> 20), u = Int(e.key & 0xFFFFF)
            let ds = e.value - scratch.xx[u] * syn.scale[u] * syn.storage[r * syn.stride + u]
            top = max(top, abs(ds))
        }
        return top
    }

    /// Phase D's scan: the exact max of |xx_μ s_μ U[i][μ]| over scratch.entries with no Hebbian sum, when
    /// it exceeds `floor`, reading only the 16-unit groups whose bound exceeds `floor` and only the
    /// rows whose bound could beat the best so far. Those groups' column bounds are renewed on the
    /// way (exact over the rows read, the skipped rows' bound otherwise).
    private func exactDecayMax(below floor: Float) -> Float {
        let syn = synapses
        let units = syn.units, stride = syn.stride, T = threads, inputs = syn.inputs
        let factors = UnsafeMutablePointer<Float>.allocate(capacity: stride)
        defer { factors.deallocate() }
        for u in 0..<stride { factors[u] = u < units ? abs(scratch.xx[u] * syn.scale[u]) : 0 }
        var groups: [Int] = []
        for g in 0..<(stride / 16) {
            for u in (g * 16)..<min(g * 16 + 16, units) where factors[u] * scratch.effectiveBound[u] > floor {
                groups.append(g)
                break
            }
        }
        var maxFactor: Float = 0
        for g in groups { for u in (g * 16)..<(g * 16 + 16) { maxFactor = max(maxFactor, factors[u]) } }
        var results = [Float](repeating: 0, count: T)
        // The largest row bound among rows skipped by each thread: their share of the column bounds.
        var skipped = [Float](repeating: 0, count: T)
        let tableBase = scratch.tables
        results.withUnsafeMutableBufferPointer { res in
            skipped.withUnsafeMutableBufferPointer { skip in
            nonisolated(unsafe) let res = res, skip = skip
            parallel { t in
                let lo = inputs * t / T, hi = inputs * (t + 1) / T
                let bound = self.scratch.partialMax + t * stride
                bound.initialize(repeating: 0, count: stride)
                var best = floor
                var skippedMax: Float = 0
                for i in lo..<hi {
                    // A row whose every weight is small cannot hold the max: skip reading it.
                    if bounds.rowBound[i] * maxFactor <= best {
                        skippedMax = max(skippedMax, bounds.rowBound[i])
                        continue
                    }
                    let row = syn.storage + i * stride
                    for g in groups {
                        let raw = UnsafeRawPointer(row + g * 16).loadUnaligned(as: SIMD16<Float>.self)
                        let v = pointwiseMax(raw, -raw)
                        let bp = UnsafeMutableRawPointer(bound + g * 16)
                        bp.storeBytes(of: pointwiseMax(bp.load(as: SIMD16<Float>.self), v), as: SIMD16<Float>.self)
                        let d = v * UnsafeRawPointer(factors + g * 16).loadUnaligned(as: SIMD16<Float>.self)
                        if !any(d .> SIMD16(repeating: best)) { continue }
                        let owner = self.owner(of: i)
                        for u in (g * 16)..<(g * 16 + 16) where d[u - g * 16] > best
                            && !tableBase[owner].contains(HebbianTable.key(row: i, unit: u)) {
                            best = d[u - g * 16]
                        }
                    }
                }
                res[t] = best
                skip[t] = skippedMax
            }
            }
        }
        let skippedMax = skipped.max()!
        for g in groups {
            for u in (g * 16)..<min(g * 16 + 16, units) {
                var m: Float = skippedMax
                for t in 0..<T { m = max(m, scratch.partialMax[t * stride + u]) }
                bounds.columnBound[u] = m
            }
        }
        return results.max()!
    }

    /// Starts loading the weight U[row][unit] of a Hebbian key.
    @inline(__always)
    private func prefetchWeight(_ key: UInt64) {
        flyvec_prefetch(synapses.storage + Int(key >> 20) * synapses.stride + Int(key & 0xFFFFF))
    }

    /// Phase E for one owner: U += rate·H / s on the owned rows; tracks bounds and squares.
    private func applyHebbian(table: inout HebbianTable, owner: Int, rate: Float) {
        let syn = synapses
        let stride = syn.stride
        let bound = scratch.partialMax + owner * stride, sq = scratch.partialSquares + owner * stride
        let lead = scratch.partialLeader + owner * stride, second = scratch.partialSecond + owner * stride
        bound.initialize(repeating: -1, count: stride)
        second.initialize(repeating: 0, count: stride)
        sq.initialize(repeating: 0, count: stride)
        for j in 0..<table.count {
            if j + 8 < table.count {
                let ahead = table.entry(j + 8).key
                prefetchWeight(ahead)
                // Its block bound too: the bounds (K/8 bytes a row) are as scattered as the weights.
                if let bm = blockMax { flyvec_prefetch(bm + Int(ahead >> 20) * blockStride + Int(ahead & 0xFFFFF) >> 4) }
            }
            let e = table.entry(j)
            let r = Int(e.key >> 20), u = Int(e.key & 0xFFFFF)
            let p = syn.storage + r * stride + u
            let old = p.pointee
            let new = old + rate * e.value / syn.scale[u]
            p.pointee = new
            if let bm = blockMax {
                flyvec_raise_half_bound(bm + r * blockStride + u >> 4, new)
            }
            let a = abs(new)
            offer(a, row: Int32(r), top: &bound[u], leader: &lead[u], rest: &second[u])
            bounds.rowBound[r] = max(bounds.rowBound[r], a)
            sq[u] += Double(new) * Double(new) - Double(old) * Double(old)
        }
        table.clear()
    }

    /// After phase E: each unit's leader becomes the largest of the old leader and the rows changed
    /// (whose values are final now), and the rest bound takes in every other changed value.
    private func updateLeaders() {
        let syn = synapses
        let stride = syn.stride
        for u in 0..<syn.units {
            let old = Int(bounds.leader[u])
            var best = abs(syn.storage[old * stride + u]), row = Int32(old)
            var rest = bounds.restBound[u]
            for t in 0..<threads {
                let j = t * stride + u
                rest = max(rest, scratch.partialSecond[j])
                // Skip a thread that changed nothing in this column, or whose top is the old leader
                // (its final value is `best` already).
                if scratch.partialMax[j] < 0 || Int(scratch.partialLeader[j]) == old { continue }
                offer(scratch.partialMax[j], row: scratch.partialLeader[j], top: &best, leader: &row, rest: &rest)
            }
            bounds.leader[u] = row
            bounds.restBound[u] = rest
        }
    }
}
