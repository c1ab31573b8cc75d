import CFlyVecSupport
import Foundation

/// The window co-occurrence counts of a corpus, one word's row at a time, counted from the word's
/// occurrences: the first pass keeps the rows it counts for the next passes when they fit
/// `keptEntries` (37 MB on en-mix with count weights), else every pass counts them again, with memory for the
/// positions only.
///
/// Ids 1..<`words` are both rows and contexts; 0 and ids from `words` up are holes. With `words`
/// N_voc the stop words (ids from N_voc up in an `EncodedCorpus`) are holes; with N_voc plus their
/// number they count too.
struct Cooccurrence {
    let corpus: EncodedCorpus
    /// The words around each occurrence that count as its context (inside its sentence).
    let shape: WindowShape
    let words: Int
    /// Positions of every word's occurrences, grouped by word: word w's are
    /// `positions[start[w]..<start[w + 1]]`.
    private let start: [Int]
    /// In an `IdBuffer` spilling as the corpus's ids do: 4 bytes a token, on disk for huge corpora.
    private let positionBuffer: IdBuffer
    private let positions: UnsafeMutableBufferPointer<UInt32>
    /// A bit per position, set where a sentence starts (and at the end of the last one): a
    /// window's cut to its sentence is then read from the bits around its centre, one or two
    /// words that are prefetched with the window, instead of searched for among the sentence ends.
    private let sentenceStarts: [UInt64]
    /// The rows of the first pass, kept for the next passes when they fit `keptEntries`.
    private let kept = KeptRows()
    /// At most this many (context, count) entries are kept (8 bytes each): en-mix has 4.6M with
    /// count weights, more with stop words' rows.
    let keptEntries: Int
    /// Entries a block of kept rows holds (`KeptRows.blockEntries`; a longer row takes a block of
    /// its own).
    let blockEntries: Int

    /// - Throws: ``FlyVecError`` `outOfSpace` when the positions fit neither memory nor the
    ///   temporary directory.
    init(corpus: EncodedCorpus, window: Int, words: Int, threads: Int = 1, keptEntries: Int,
         blockEntries: Int = KeptRows.blockEntries) throws {
        self.corpus = corpus
        self.keptEntries = keptEntries
        self.blockEntries = max(1, blockEntries)
        shape = WindowShape(width: window)
        self.words = words
        // Tokens after the last sentence end belong to no sentence, so to no window.
        let ids = UnsafeBufferPointer(rebasing: corpus.ids[..<Int(corpus.sentenceEnds.last ?? 0)])
        // Each thread counts, then places, the occurrences in its own run of the corpus, from where
        // the runs before it end: every word's positions ascend as one pass in order would leave them.
        let parts = max(1, min(threads, ids.count / 65_536))
        let counts = concurrentMap(parts, threads: parts) { t in
            var c = [Int](repeating: 0, count: words)
            for id in ids[(ids.count * t / parts)..<(ids.count * (t + 1) / parts)] where WindowShape.isWord(Int(id), vocabularySize: words) {
                c[Int(id)] += 1
            }
            return c
        }
        var start = [Int](repeating: 0, count: words + 1)
        var next = [[Int]](repeating: [], count: parts)
        for t in 0..<parts { next[t].reserveCapacity(words) }
        for w in 0..<words {
            var at = start[w]
            for t in 0..<parts {
                next[t].append(at)
                at += counts[t][w]
            }
            start[w + 1] = at
        }
        positionBuffer = corpus.storage.sibling()
        let positions = try positionBuffer.extend(by: start[words])
        _ = concurrentMap(parts, threads: parts) { t in
            var next = next[t]
            for p in (ids.count * t / parts)..<(ids.count * (t + 1) / parts) where WindowShape.isWord(Int(ids[p]), vocabularySize: words) {
                positions[next[Int(ids[p])]] = UInt32(p)
                next[Int(ids[p])] += 1
            }
        }
        self.start = start
        self.positions = positions
        var starts = [UInt64](repeating: 0, count: ids.count / 64 + 1)
        starts[0] = 1
        for end in corpus.sentenceEnds { starts[Int(end) >> 6] |= 1 << UInt64(end & 63) }
        sentenceStarts = starts
    }

    /// Occurrences ahead whose windows are prefetched.
    private static let lookAhead = 8

    /// Occurrences of word `w`.
    func occurrences(_ w: Int) -> Int { start[w + 1] - start[w] }

    /// Per word, its co-occurrences with every context word (its row's sum) and as a context word
    /// (its column's sum; the same but for windows longer on one side): counted by the first pass
    /// of `forEachRow` over every row.
    func totals(parts: Int) -> (rows: [Double], columns: [Double]) {
        if kept.rowTotals.count != words { forEachRow(parts: parts) { _, _, _ in } }
        return (kept.rowTotals, kept.columnTotals)
    }

    /// Calls `body(w, contexts, counts)` for every word under `limit` (all, when nil) with
    /// occurrences, on `parts` threads (each word on one thread, `share`); `contexts[i]`
    /// co-occurs `counts[i]` times with `w`, contexts in ascending id order so that every sum over
    /// a row has one order.
    func forEachRow(parts: Int, below limit: Int? = nil, _ body: (Int, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) -> Void) {
        let limit = min(limit ?? words, words)
        if kept.parts.count == parts {
            // A later pass: the rows the first one counted.
            concurrently(parts) { part in
                let rows = kept.parts[part]
                var k = 0
                for block in rows.blocks {
                    var next = 0
                    for end in block.ends {
                        let w = rows.words[k]
                        if w < limit {
                            block.contexts[next..<end].withUnsafeBufferPointer { t in block.counts[next..<end].withUnsafeBufferPointer { n in body(w, t, n) } }
                        }
                        next = end
                        k += 1
                    }
                }
            }
            return
        }
        // A pass over every row keeps them (when they fit) and their totals; a pass over some
        // keeps nothing.
        let whole = limit == words
        let rowTotals = UnsafeMutableBufferPointer<Double>.allocate(capacity: words)
        rowTotals.initialize(repeating: 0)
        defer { rowTotals.deallocate() }
        let ids = corpus.ids
        let budget = keptEntries / parts
        let counted = UnsafeMutableBufferPointer<KeptRows.Part>.allocate(capacity: parts)
        counted.initialize(repeating: KeptRows.Part())
        let columns = UnsafeMutableBufferPointer<[UInt64]>.allocate(capacity: parts)
        columns.initialize(repeating: [])
        defer {
            counted.deinitialize()
            counted.deallocate()
            columns.deinitialize()
            columns.deallocate()
        }
        let shares = share(below: limit, parts: parts)
        concurrently(parts) { part in
            var keep = KeptRows.Part(fits: whole)
            keep.words = shares[part]
            // Integer counts: a Float stops counting at 2^24.
            var tally = [UInt32](repeating: 0, count: words)
            var column = [UInt64](repeating: 0, count: whole ? words : 0)
            var touched: [Int32] = [], counts: [Float] = [], scratch: [Int32] = []
            sentenceStarts.withUnsafeBufferPointer { starts in
            for w in shares[part] {
                touched.removeAll(keepingCapacity: true)
                let last = start[w + 1]
                for i in start[w]..<last {
                    // A word's occurrences are scattered over the corpus: ask for the window and its
                    // sentence-start bits of an occurrence a few ahead while this one is counted.
                    if i + Self.lookAhead < last {
                        let ahead = Int(positions[i + Self.lookAhead])
                        flyvec_prefetch(ids.baseAddress! + max(0, ahead - shape.before))
                        flyvec_prefetch(starts.baseAddress! + (ahead >> 6))
                    }
                    let p = Int(positions[i])
                    for q in window(around: p, starts: starts) where q != p {
                        let c = Int(ids[q])
                        if !WindowShape.isWord(c, vocabularySize: words) { continue }
                        if tally[c] == 0 { touched.append(Int32(c)) }
                        tally[c] += 1
                    }
                }
                // A frequent word meets a large share of the vocabulary: reading every tally in
                // id order is then cheaper than sorting the ids it met.
                if touched.count > words / 16 {
                    touched.removeAll(keepingCapacity: true)
                    for c in 1..<words where tally[c] != 0 { touched.append(Int32(c)) }
                } else {
                    sortIds(&touched, below: words, scratch: &scratch)
                }
                counts.removeAll(keepingCapacity: true)
                var total = 0
                for c in touched {
                    let n = tally[Int(c)]
                    counts.append(Float(n))
                    total += Int(n)
                    if whole { column[Int(c)] += UInt64(n) }
                    tally[Int(c)] = 0
                }
                rowTotals[w] = Double(total)
                touched.withUnsafeBufferPointer { t in counts.withUnsafeBufferPointer { n in body(w, t, n) } }
                if keep.fits, keep.entries + touched.count <= budget {
                    keep.append(touched, counts, blockEntries: blockEntries)
                } else if keep.fits {
                    keep = KeptRows.Part(fits: false)
                }
            }
            }
            counted[part] = keep
            columns[part] = column
        }
        guard whole else { return }
        kept.rowTotals = Array(rowTotals)
        // Integer sums: the same whatever the number of parts.
        kept.columnTotals = (0..<words).map { c in Double(columns.reduce(0) { $0 + $1[c] }) }
        if counted.allSatisfy(\.fits) { kept.parts = Array(counted) }
    }

    /// The words under `limit` with occurrences, shared among `parts` threads so that each has
    /// about as many occurrences to count: the most frequent first, each to the part with the
    /// fewest so far, then each part's in ascending order. Every second word by id left one
    /// thread counting the most frequent stop word alone for a tenth of a second.
    private func share(below limit: Int, parts: Int) -> [[Int]] {
        let used = (0..<limit).filter { occurrences($0) > 0 }
            .sorted { occurrences($0) != occurrences($1) ? occurrences($0) > occurrences($1) : $0 < $1 }
        var load = [Int](repeating: 0, count: parts), shares = [[Int]](repeating: [], count: parts)
        for w in used {
            let part = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            shares[part].append(w)
            load[part] += occurrences(w)
        }
        return shares.map { $0.sorted() }
    }

    /// How a co-occurring pair (w, c), n times together, weighs in `weightedSums`.
    enum PairWeights {
        /// n · `weights[c]`.
        case count([Float])
        /// log((1 + r) / 2), cut at 0, with r = n / (N(w) · `share[c]`), N(w) = `totals[w]`: how
        /// much more often the pair meets than c's share of all co-occurrences says
        /// (docs/ALGORITHM.md §9).
        case logRatio(totals: [Double], share: [Double])
    }

    /// Per word under `rows` (all, when nil), `K` floats: the sum over its co-occurring pairs of
    /// the pair's weight times the context word's sparse vector (`width` units and values per word
    /// in `contextUnits`/`contextValues`; nil values: 1 for every unit); divided by the word's
    /// occurrences when `mean`.
    /// `sums` is overwritten: a second pass over as many rows or fewer reuses the first's memory,
    /// whose pages are then already mapped.
    func weightedSums(into sums: inout [Float], rows: Int? = nil, units K: Int, width m: Int, contextUnits: [UInt16],
                      contextValues: [Float]?, threads parts: Int, weights: PairWeights, mean: Bool) {
        let rows = min(rows ?? words, words)
        // Zeroed on every thread: a new buffer's first touch maps its pages (330 MB at K 4096 on
        // en-mix), which one thread alone spent a fifth of a second on.
        func zero(_ s: UnsafeMutableBufferPointer<Float>) {
            nonisolated(unsafe) let s = s
            concurrently(parts) { t in
                let lo = s.count * t / parts, hi = s.count * (t + 1) / parts
                (s.baseAddress! + lo).initialize(repeating: 0, count: hi - lo)
            }
        }
        if sums.count >= rows * K {
            // Fewer rows than the first pass (the stop words' left out): the same memory, cut.
            sums.removeLast(sums.count - rows * K)
            sums.withUnsafeMutableBufferPointer { zero($0) }
        } else {
            sums = [Float](unsafeUninitializedCapacity: rows * K) { s, count in
                zero(s)
                count = rows * K
            }
        }
        sums.withUnsafeMutableBufferPointer { out in
            contextUnits.withUnsafeBufferPointer { cu in
                (contextValues ?? []).withUnsafeBufferPointer { cv in
                    let ones = contextValues == nil
                    forEachRow(parts: parts, below: rows) { w, contexts, counts in
                        let row = out.baseAddress! + w * K
                        for i in 0..<contexts.count {
                            let c = Int(contexts[i])
                            let a: Float
                            switch weights {
                            case .count(let weights):
                                a = counts[i] * weights[c]
                            case .logRatio(let totals, let share):
                                let r = Double(counts[i]) / (totals[w] * share[c])
                                // log((1 + r) / 2) is at most 0 there: no logarithm needed.
                                if r <= 1 { continue }
                                a = Float(max(0, _log1p(r) - Self.logTwo))
                            }
                            if a == 0 { continue }
                            // Values of 1 are not read: a pair then reads one line of units, not three.
                            if ones {
                                for j in (c * m)..<(c * m + m) { row[Int(cu[j])] += a }
                            } else {
                                for j in (c * m)..<(c * m + m) { row[Int(cu[j])] += a * cv[j] }
                            }
                        }
                        if mean {
                            let inverse = 1 / Float(occurrences(w))
                            for u in 0..<K { row[u] *= inverse }
                        }
                    }
                }
            }
        }
    }

    private static let logTwo = _log(2.0)

    /// Blocks of rows kept for the later passes (0: none kept).
    var keptBlocks: Int { kept.parts.reduce(0) { $0 + $1.blocks.count } }

    /// The positions of the window around position p (which lies in a sentence), cut to its
    /// sentence: from the last sentence start at or before p to the next one after it, found in
    /// the bits of `starts` within the window's reach.
    @inline(__always)
    private func window(around p: Int, starts: UnsafeBufferPointer<UInt64>) -> ClosedRange<Int> {
        let lowest = p - shape.before, highest = p + shape.after
        // Backwards from p: the highest set bit at or below it (bit 0 is set).
        var lo = lowest, b = p >> 6
        var bits = starts[b] & (~0 >> UInt64(63 - p & 63))
        while true {
            if bits != 0 { lo = max(lowest, b << 6 + 63 - bits.leadingZeroBitCount); break }
            if b << 6 <= lowest { break }
            b -= 1
            bits = starts[b]
        }
        // Forwards from p + 1: the lowest set bit above it, the next sentence's start (a bit is set
        // at the last sentence's end, so the scan stops inside the array).
        var hi = highest
        b = (p + 1) >> 6
        bits = starts[b] & (~0 << UInt64((p + 1) & 63))
        while true {
            if bits != 0 { hi = min(highest, b << 6 + bits.trailingZeroBitCount - 1); break }
            if (b + 1) << 6 > highest { break }
            b += 1
            bits = starts[b]
        }
        return lo...hi
    }
}

/// One pass's co-occurrence rows, per part (thread) of `Cooccurrence.forEachRow`: its words' rows
/// back to back, in the order the part visits them. Counting them again costs as much as the
/// pass; keeping them costs 8 bytes an entry.
final class KeptRows: @unchecked Sendable {
    struct Part {
        /// The words whose rows the part holds, in the order it counted them.
        var words: [Int] = []
        /// The rows, in that order, a whole number of rows a block.
        var blocks: [Block] = []
        /// The entries in all blocks.
        var entries = 0
        /// False once the part outgrew its share of `Cooccurrence.keptEntries`.
        var fits = true

        /// Appends a row, in a new block when the last has no room for it (blocks of
        /// `blockEntries`, or of the row's length if longer).
        mutating func append(_ contexts: [Int32], _ counts: [Float], blockEntries: Int) {
            if blocks.last.map({ $0.contexts.count + contexts.count > $0.contexts.capacity }) ?? true {
                var block = Block()
                block.contexts.reserveCapacity(max(blockEntries, contexts.count))
                block.counts.reserveCapacity(max(blockEntries, contexts.count))
                blocks.append(block)
            }
            blocks[blocks.count - 1].contexts += contexts
            blocks[blocks.count - 1].counts += counts
            blocks[blocks.count - 1].ends.append(blocks[blocks.count - 1].contexts.count)
            entries += contexts.count
        }
    }
    /// Rows back to back. Blocks of a fixed room, not one array grown by doubling, which copied the
    /// rows at every step and held the old and the new array at once (a default en-mix run peaked
    /// 75 MB higher that way).
    struct Block {
        var contexts: [Int32] = []
        var counts: [Float] = []
        /// Where each row ends in `contexts`.
        var ends: [Int] = []
    }
    /// Entries a block holds (4 MB of contexts and 4 MB of counts), unless a row is longer.
    static let blockEntries = 1 << 20
    var parts: [Part] = []
    /// Per word, the sums of its row's and of its column's counts, once a pass counted every row.
    var rowTotals: [Double] = []
    var columnTotals: [Double] = []
}

/// Every word's co-occurrence row: its contexts, ascending, and how often each meets it.
@_spi(Testing) public struct CooccurrenceRows: Equatable, Sendable {
    public var contexts: [[Int32]]
    public var counts: [[Float]]
}

/// The rows of `corpus` as the first pass of the usage profile's counting gives them, and as a
/// later pass gives them again from the rows the first kept (in blocks of `blockEntries`
/// entries), with the number of blocks kept. For the tests, which reach it through
/// `@_spi(Testing) import FlyVec`.
@_spi(Testing) public func cooccurrenceRows(corpus: EncodedCorpus, window: Int, words: Int, threads: Int,
                                            keptEntries: Int = 1 << 25, blockEntries: Int)
    throws -> (counted: CooccurrenceRows, replayed: CooccurrenceRows, blocks: Int) {
    let rows = try Cooccurrence(corpus: corpus, window: window, words: words, threads: threads, keptEntries: keptEntries,
                                blockEntries: blockEntries)
    func pass() -> CooccurrenceRows {
        var contexts = [[Int32]](repeating: [], count: words), counts = [[Float]](repeating: [], count: words)
        contexts.withUnsafeMutableBufferPointer { c in
            counts.withUnsafeMutableBufferPointer { n in
                nonisolated(unsafe) let (c, n) = (c, n)
                // Each word's row is visited by one thread.
                rows.forEachRow(parts: threads) { w, t, k in
                    c[w] = Array(t)
                    n[w] = Array(k)
                }
            }
        }
        return CooccurrenceRows(contexts: contexts, counts: counts)
    }
    let counted = pass()
    return (counted, pass(), rows.keptBlocks)
}
