/// What a rank's trainer exchanged with the others, since the counts were last reset.
public struct ExchangeCounts: Sendable, Equatable {
    /// Batches trained.
    public var batches = 0
    /// Bytes this rank sent.
    public var bytesSent = 0
    /// Wall seconds in the exchange, waiting for the slowest rank included.
    public var seconds = 0.0
    /// Wall seconds in this rank's forward passes (its share of each batch): the part of training
    /// that more ranks divide; the rest of an epoch is done by every rank alike.
    public var forwardSeconds = 0.0
    public init() {}
}

/// What `Trainer.forwardAcross` fills every batch, kept so that a batch allocates nothing: per
/// sample its owner rank and its record's place, this rank's own starts, the records sent and
/// received.
struct ExchangeBuffers {
    var owners: [Int32] = []
    var at: [Int] = []
    var mine: [UInt32] = []
    var send: [UInt32] = []
    var receive: [UInt32] = []

    /// Sizes the buffers for a batch of `n` samples of `words`-word records and empties `mine`;
    /// buffers already large enough are kept.
    mutating func prepare(samples n: Int, words: Int) {
        if owners.count < n { owners = [Int32](repeating: 0, count: n); at = [Int](repeating: 0, count: n) }
        // A rank may own every sample of a batch.
        if send.count < n * words { send = [UInt32](repeating: 0, count: n * words) }
        if receive.count < n * words { receive = [UInt32](repeating: 0, count: n * words) }
        mine.removeAll(keepingCapacity: true)
    }
}

/// A trainer's place in a cluster: every rank holds the whole model and the window starts of the
/// whole corpus, but the ids of its own share only.
struct TrainingShare {
    let cluster: Cluster
    /// Where each rank's tokens start in the whole corpus, the corpus's token count last.
    let tokenStarts: [Int]
    /// Windows in the whole corpus.
    let windows: Int

    var rank: Int { cluster.rank }
    /// This rank's tokens in the whole corpus.
    var tokens: Range<Int> { tokenStarts[rank]..<tokenStarts[rank + 1] }

    /// The rank whose share holds the window starting at `start` (windows never cross shares).
    @inline(__always)
    func owner(of start: Int) -> Int {
        var lo = 0, hi = cluster.size - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if tokenStarts[mid] <= start { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Appends the window starts of the whole corpus, in corpus order, to `order`: every rank's
    /// own, moved to whole-corpus positions, gathered in rank order.
    func fillStarts(_ order: IdBuffer, windows local: Windows) throws {
        var mine = local.starts
        let base = UInt32(tokenStarts[rank])
        for i in mine.indices { mine[i] += base }
        try mine.withUnsafeBytes { bytes in
            _ = try cluster.allGatherLarge(bytes) { total in
                UnsafeMutableRawBufferPointer(try order.extend(by: total / 4))
            }
        }
        guard order.count == windows else {
            throw FlyVecError(.mismatch, "the ranks' windows add up to \(order.count), not \(windows)")
        }
    }
}

extension Trainer {
    /// Words of a sample's record: winner, drive, energy (2), runner-up, its drive, then the ids.
    private var recordWords: Int { 6 + width }

    /// Phase A across a cluster: each rank runs the forward pass on the batch's samples in its
    /// share, the ranks exchange per sample its winner, runner-up, drives, energy term and window
    /// ids (an all-gather), and every rank then files every sample's Hebbian entries as one
    /// process would have, in sample order. Phases B–E then run alike on every rank, so every
    /// rank applies the same update and the model is the one a single process trains.
    func forwardAcross(_ starts: UnsafeBufferPointer<UInt32>, share: TrainingShare) throws {
        let n = starts.count, T = threads, w = width, words = recordWords, ranks = share.cluster.size
        let base = share.tokenStarts[share.rank]
        var buffers = exchangeBuffers
        exchangeBuffers = ExchangeBuffers()  // one owner while it is filled: no copy on write
        defer { exchangeBuffers = buffers }
        buffers.prepare(samples: n, words: words)
        var counts = [Int](repeating: 0, count: ranks)
        for b in 0..<n {
            let r = share.owner(of: Int(starts[b]))
            buffers.owners[b] = Int32(r)
            counts[r] += 1
            if r == share.rank { buffers.mine.append(starts[b] - UInt32(base)) }
        }
        let mine = buffers.mine
        let clock = ContinuousClock(), began = clock.now
        mine.withUnsafeBufferPointer { local in
            let m = local.count
            parallel { t in self.forward(local, (m * t / T)..<(m * (t + 1) / T), thread: t, fileEntries: false) }
        }
        exchanged.forwardSeconds += (clock.now - began).seconds
        let sent = mine.count * words
        let ids = windows.corpus.ids
        for (j, start) in mine.enumerated() {
            let record = j * words
            buffers.send[record] = UInt32(bitPattern: scratch.winners[j])
            buffers.send[record + 1] = scratch.drives[j].bitPattern
            let energy = scratch.energies[j].bitPattern
            buffers.send[record + 2] = UInt32(truncatingIfNeeded: energy)
            buffers.send[record + 3] = UInt32(truncatingIfNeeded: energy >> 32)
            buffers.send[record + 4] = options.delta > 0 ? UInt32(bitPattern: scratch.runners[j]) : 0
            buffers.send[record + 5] = options.delta > 0 ? scratch.runnerDrives[j].bitPattern : 0
            for k in 0..<w { buffers.send[record + 6 + k] = ids[Int(start) + k] }
        }
        var displacements = [Int](repeating: 0, count: ranks)
        for r in 1..<ranks { displacements[r] = displacements[r - 1] + counts[r - 1] * words * 4 }
        let sending = clock.now
        try buffers.send.withUnsafeBytes { s in
            try buffers.receive.withUnsafeMutableBytes { r in
                try share.cluster.allGather(UnsafeRawBufferPointer(rebasing: s[..<(sent * 4)]),
                                            into: UnsafeMutableRawBufferPointer(rebasing: r[..<(n * words * 4)]),
                                            counts: counts.map { $0 * words * 4 }, displacements: displacements)
            }
        }
        exchanged.seconds += (clock.now - sending).seconds
        exchanged.bytesSent += sent * 4
        exchanged.batches += 1
        // Each rank's records are in its samples' order: sample b is the next of its owner's.
        var next = displacements.map { $0 / 4 }
        for b in 0..<n {
            let r = Int(buffers.owners[b])
            buffers.at[b] = next[r]
            next[r] += words
        }
        let nVoc = windows.vocabularySize, shape = windows.shape
        buffers.receive.withUnsafeBufferPointer { records in
            buffers.at.withUnsafeBufferPointer { at in
                parallel { t in
                    for o in 0..<T { self.scratch.entryCounts[(t * T + o) * 8] = 0 }
                    let rows = self.scratch.rows + t * w
                    // The samples phase A's thread t takes in one process, so the entries are
                    // filed exactly as there.
                    for b in (n * t / T)..<(n * (t + 1) / T) {
                        let record = at[b]
                        self.scratch.winners[b] = Int32(bitPattern: records[record])
                        self.scratch.drives[b] = Float(bitPattern: records[record + 1])
                        self.scratch.energies[b] = Double(bitPattern: UInt64(records[record + 2]) | UInt64(records[record + 3]) << 32)
                        self.scratch.runners[b] = Int32(bitPattern: records[record + 4])
                        self.scratch.runnerDrives[b] = Float(bitPattern: records[record + 5])
                        var m = 0
                        for k in 0..<w {
                            guard let row = shape.row(offset: k, id: Int(records[record + 6 + k]), vocabularySize: nVoc) else { continue }
                            rows[m] = Int32(row)
                            m += 1
                        }
                        self.file(rows, m, sample: b, thread: t)
                    }
                }
            }
        }
    }
}
