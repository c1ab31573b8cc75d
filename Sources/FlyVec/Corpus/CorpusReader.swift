import Foundation

/// Reads corpus files once: tokenizes, chooses (or applies) the vocabulary, encodes the ids.
///
/// One streaming pass over the input, so standard input works too: tokens are interned as
/// provisional ids while counting, then renumbered in place once the vocabulary is known.
public struct CorpusReader {
    /// How the text is split into tokens.
    public var tokenizer = TokenizerOptions()
    /// How the vocabulary is chosen from the counts (ignored when a vocabulary is given to `read`).
    public var vocabulary = VocabularyOptions()
    /// Called now and then with the plain bytes read so far.
    public var progress: ((Int) -> Void)?
    /// Id streams larger than this many bytes move to a memory-mapped temporary file.
    public var spillBytes = IdBuffer.defaultSpillBytes
    /// Where they go (default: `TMPDIR`, else `/tmp`).
    public var spillDirectory: String?
    /// The most tokens a corpus may have: 2³² − 2, as window starts are 32-bit. Reading stops
    /// with an error as soon as the corpus passes it (lower it to cap a run).
    public var tokenLimit = Int(UInt32.max) - 1

    /// A reader with FlyVec's tokenizer and vocabulary defaults.
    public init() {}

    /// Reads `paths` (`-` is standard input) and returns the vocabulary, the encoded corpus and counts.
    /// - Parameters:
    ///   - paths: corpus files, plain UTF-8 or zstd, read in order as one corpus.
    ///   - fixed: use this vocabulary instead of choosing one from the counts.
    public func read(_ paths: [String], vocabulary fixed: Vocabulary? = nil) throws
        -> (Vocabulary, EncodedCorpus, CorpusStatistics)
    {
        let share = try read(paths, vocabulary: fixed, cluster: nil)
        return (share.vocabulary, share.corpus, share.statistics)
    }

    /// What one rank of a cluster reads: the vocabulary and statistics of the whole corpus, and
    /// its own share of the corpus, encoded.
    struct Share {
        var vocabulary: Vocabulary
        /// This rank's sentences, encoded.
        var corpus: EncodedCorpus
        /// Of the whole corpus.
        var statistics: CorpusStatistics
        /// Where each rank's tokens start in the whole corpus, and the corpus's token count last.
        var tokenStarts: [Int]
    }

    /// As `read(_:vocabulary:)`, each rank of `cluster` reading its share of the corpus (split at
    /// line starts, `ShareGate`); the vocabulary comes from the counts of all ranks together, so
    /// every rank chooses the one a single process reading the whole corpus chooses.
    func read(_ paths: [String], vocabulary fixed: Vocabulary?, cluster: Cluster?) throws -> Share {
        if fixed == nil { try vocabulary.validate() }
        let ranks = cluster?.size ?? 1
        let gate = ranks > 1 ? ShareGate(sizes: try ByteSource.plainSizes(of: paths), rank: cluster!.rank, of: ranks) : nil
        var sink = InterningSink(ids: IdBuffer(spillBytes: spillBytes, directory: spillDirectory),
                                 sentenceEnds: IdBuffer(spillBytes: spillBytes, directory: spillDirectory))
        var totalBytes = 0
        var invalid = 0
        for (f, path) in paths.enumerated() {
            if let gate, gate.skips(file: f) { continue }
            gate?.begin(file: f)
            do {
                let counts = try tokenizeAhead(path, options: tokenizer, share: gate) { batch in
                    sink.consume(batch)
                    if sink.ids.count > tokenLimit { throw tooMany(sink.ids.count, file: path, at: batch.offset) }
                    // A full disk or memory ends the reading now, not after the whole corpus.
                    try sink.ids.check()
                    try sink.sentenceEnds.check()
                    progress?(totalBytes + batch.offset)
                }
                totalBytes += counts.offset
                invalid += counts.invalidBytes
            } catch let e as FlyVecError where e.file == nil {
                throw e.naming(path)
            }
        }
        try sink.ids.check()
        try sink.sentenceEnds.check()
        let local = [sink.ids.count, sink.sentenceEnds.count, sink.numCount, totalBytes, invalid]
        let totals = try cluster?.sum(local) ?? local
        let tokenCounts = try cluster?.gather(sink.ids.count) ?? [sink.ids.count]
        var tokenStarts = [0]
        for n in tokenCounts { tokenStarts.append(tokenStarts.last! + n) }
        let (tokens, sentences, numCount) = (totals[0], totals[1], totals[2])
        if tokens > tokenLimit { throw tooMany(tokens, file: paths.joined(separator: ", "), at: nil) }
        if tokens == 0 {
            throw FlyVecError(.invalidInput, "the corpus has no tokens", file: paths.joined(separator: ", "))
        }
        // The counts of the whole corpus: this rank's, or every rank's types merged in rank order.
        let table = ranks > 1 ? try Self.merged(sink.table, cluster: cluster!) : sink.table
        let counts = table.counts()
        // Only types seen --min-count times can be chosen: the long tail never becomes a String.
        let stopList = fixed.map { Array($0.stopWords) } ?? vocabulary.stopWords
        var stopTokens = 0
        for word in Set(stopList) {
            if let t = table.find(word) { stopTokens += counts[t].count }
        }
        let vocab: Vocabulary
        if let fixed {
            vocab = fixed
        } else {
            var candidates: [(word: String, count: Int, sentences: Int)] = []
            for t in 0..<table.count where counts[t].count >= vocabulary.minCount {
                candidates.append((table.word(t), counts[t].count, counts[t].sentences))
            }
            vocab = try Vocabulary.select(candidates: candidates, numCount: numCount,
                                          stopWordTokens: stopTokens, totalTokens: tokens,
                                          sentences: sentences, options: vocabulary)
        }
        let types = sink.table.count
        let localCounts = table === sink.table ? counts : sink.table.counts()
        // Provisional id → final id (0 for unknown words): a look-up per vocabulary word, not per type.
        var remap = [UInt32](repeating: 0, count: types + 2)
        remap[1] = UInt32(Vocabulary.numID)
        var covered = sink.numCount
        for id in 2..<vocab.count where !vocab.stopWords.contains(vocab.words[id]) {
            if let t = sink.table.find(vocab.words[id]) {
                remap[t + 2] = UInt32(id)
                covered += localCounts[t].count
            }
        }
        // Stop words keep their identity above the vocabulary: holes for training, context words
        // for the usage profile.
        for (j, word) in vocab.sortedStopWords.enumerated() {
            if let t = sink.table.find(word) { remap[t + 2] = UInt32(vocab.count + j) }
        }
        let ids = sink.ids
        // Two halves at once: this pass over every token is a tenth of the reading time otherwise.
        let half = (ids.count + 1) / 2
        let lookup = remap
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            lookup.withUnsafeBufferPointer { r in
                let q = ids.buffer
                for i in part * half..<min(q.count, (part + 1) * half) { q[i] = r[Int(q[i])] }
            }
        }
        var stats = CorpusStatistics()
        stats.stopWordTokens = stopTokens
        stats.bytes = totals[3]
        stats.tokens = tokens
        stats.sentences = sentences
        stats.types = table.count + (numCount > 0 ? 1 : 0)
        stats.coveredTokens = try cluster?.sum([covered])[0] ?? covered
        stats.invalidBytes = totals[4]
        return Share(vocabulary: vocab, corpus: EncodedCorpus(storage: ids, sentenceEnds: sink.sentenceEnds),
                     statistics: stats, tokenStarts: tokenStarts)
    }

    private func tooMany(_ tokens: Int, file: String, at offset: Int?) -> FlyVecError {
        let limit = tokenLimit == Int(UInt32.max) - 1 ? "the limit of 2^32 - 2 = \(tokenLimit) (window starts are 32-bit)" : "the limit of \(tokenLimit)"
        return FlyVecError(.unsupported, "the corpus has \(offset == nil ? "" : "passed ")\(tokens) tokens, over \(limit): train on a part of it",
                           file: file, offset: offset, position: offset.map { "byte \($0)" })
    }

    /// Every rank's token types with their counts, merged into one table in rank order.
    private static func merged(_ table: TokenTable, cluster: Cluster) throws -> TokenTable {
        var w = ByteWriter()
        let counts = table.counts()
        for t in 0..<table.count {
            let word = table.bytes(t)
            w.u32(UInt32(counts[t].count))
            w.u32(UInt32(counts[t].sentences))
            w.raw(CollectionOfOne(UInt8(word.count)))
            w.raw(word)
        }
        var all = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        defer { all.deallocate() }
        _ = try w.bytes.withUnsafeBytes { mine in
            try cluster.allGatherLarge(mine) { total in
                all = .allocate(byteCount: total, alignment: 8)
                return all
            }
        }
        let merged = TokenTable()
        try { (b: UnsafeRawBufferPointer) in
            var at = 0
            while at < b.count {
                guard at + 9 <= b.count else { throw FlyVecError(.corrupt, "a rank sent a cut-off vocabulary") }
                let count = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                let sentences = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)))
                let n = Int(b[at + 8])
                at += 9
                guard at + n <= b.count else { throw FlyVecError(.corrupt, "a rank sent a cut-off vocabulary") }
                merged.merge(UnsafeRawBufferPointer(rebasing: b[at..<(at + n)]), count: count, sentences: sentences)
                at += n
            }
        }(UnsafeRawBufferPointer(all))
        return merged
    }
}

/// Reads, decodes and tokenizes `path` on a second thread, a few batches ahead of `consume`,
/// which interns on the calling thread. Returns the tokenizer's byte and invalid-UTF-8 counts
/// (with a `share`, the bytes of the share only: the rest is passed over).
func tokenizeAhead(_ path: String, options: TokenizerOptions = TokenizerOptions(), share: ShareGate? = nil,
                   _ consume: (TokenBatch) throws -> Void) throws -> (offset: Int, invalidBytes: Int) {
    final class Totals: @unchecked Sendable { var offset = 0, invalid = 0 }
    struct ShareEnded: Error {}
    let totals = Totals()
    try pipeline(depth: 4, produce: { put in
        var tok = Tokenizer(options: options)
        var batch = TokenBatch()
        var fed = 0
        do {
            try ByteSource(path: path).produce { chunk in
                var ended = false
                if let share {
                    let part = share.split(chunk)
                    tok.skip(UnsafeRawBufferPointer(rebasing: chunk[0..<part.before]))
                    let inside = UnsafeRawBufferPointer(rebasing: chunk[part.inside])
                    try tok.feed(inside, into: &batch)
                    fed += inside.count
                    ended = part.ended
                } else {
                    try tok.feed(chunk, into: &batch)
                }
                if batch.failed { throw FlyVecError(.outOfSpace, "out of memory while tokenizing", offset: tok.offset) }
                if batch.events.count >= TokenBatch.target {
                    batch.offset = tok.offset
                    try put(batch)
                    batch = TokenBatch()
                }
                // The rest of the file belongs to the next ranks.
                if ended { throw ShareEnded() }
            }
        } catch is ShareEnded {}
        try tok.finish(into: &batch)
        if batch.failed { throw FlyVecError(.outOfSpace, "out of memory while tokenizing", offset: tok.offset) }
        batch.offset = tok.offset
        try put(batch)
        totals.offset = share == nil ? tok.offset : fed
        totals.invalid = tok.invalidBytes
    }, consume: consume)
    return (totals.offset, totals.invalid)
}
