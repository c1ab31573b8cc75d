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

    /// A reader with FlyVec's tokenizer and vocabulary defaults.
    public init() {}

    /// Reads `paths` (`-` is standard input) and returns the vocabulary, the encoded corpus and counts.
    /// - Parameters:
    ///   - paths: corpus files, plain UTF-8 or zstd, read in order as one corpus.
    ///   - fixed: use this vocabulary instead of choosing one from the counts.
    public func read(_ paths: [String], vocabulary fixed: Vocabulary? = nil) throws
        -> (Vocabulary, EncodedCorpus, CorpusStatistics)
    {
        if fixed == nil { try vocabulary.validate() }
        var sink = InterningSink(ids: IdBuffer(spillBytes: spillBytes, directory: spillDirectory),
                                 sentenceEnds: IdBuffer(spillBytes: spillBytes, directory: spillDirectory))
        var totalBytes = 0
        var invalid = 0
        for path in paths {
            do {
                let counts = try tokenizeAhead(path, options: tokenizer) { batch in
                    sink.consume(batch)
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
        if sink.ids.count >= Int(UInt32.max) {
            throw FlyVecError(.unsupported, "corpora of over 4 billion tokens are not supported", file: paths.joined(separator: ", "))
        }
        if sink.ids.count == 0 {
            throw FlyVecError(.invalidInput, "the corpus has no tokens", file: paths.joined(separator: ", "))
        }
        let types = sink.table.count
        let counts = sink.table.counts()
        // Only types seen --min-count times can be chosen: the long tail never becomes a String.
        let stopList = fixed.map { Array($0.stopWords) } ?? vocabulary.stopWords
        var stopTokens = 0
        for word in Set(stopList) {
            if let t = sink.table.find(word) { stopTokens += counts[t].count }
        }
        let vocab: Vocabulary
        if let fixed {
            vocab = fixed
        } else {
            var candidates: [(word: String, count: Int, sentences: Int)] = []
            for t in 0..<types where counts[t].count >= vocabulary.minCount {
                candidates.append((sink.table.word(t), counts[t].count, counts[t].sentences))
            }
            vocab = try Vocabulary.select(candidates: candidates, numCount: sink.numCount,
                                          stopWordTokens: stopTokens, totalTokens: sink.ids.count,
                                          sentences: sink.sentenceEnds.count, options: vocabulary)
        }
        // Provisional id → final id (0 for holes): a look-up per vocabulary word, not per type.
        var remap = [UInt32](repeating: 0, count: types + 2)
        remap[1] = UInt32(Vocabulary.numID)
        var covered = sink.numCount
        for id in 2..<vocab.count where !vocab.stopWords.contains(vocab.words[id]) {
            if let t = sink.table.find(vocab.words[id]) {
                remap[t + 2] = UInt32(id)
                covered += counts[t].count
            }
        }
        var stats = CorpusStatistics()
        stats.stopWordTokens = stopTokens
        let ids = sink.ids
        // Two halves at once: this pass over every token is a tenth of the reading time otherwise.
        let half = (ids.count + 1) / 2
        let table = remap
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            table.withUnsafeBufferPointer { r in
                let q = ids.buffer
                for i in part * half..<min(q.count, (part + 1) * half) { q[i] = r[Int(q[i])] }
            }
        }
        stats.bytes = totalBytes
        stats.tokens = ids.count
        stats.sentences = sink.sentenceEnds.count
        stats.types = types + (sink.numCount > 0 ? 1 : 0)
        stats.coveredTokens = covered
        stats.invalidBytes = invalid
        return (vocab, EncodedCorpus(storage: ids, sentenceEnds: sink.sentenceEnds), stats)
    }
}

/// Reads, decodes and tokenizes `path` on a second thread, a few batches ahead of `consume`,
/// which interns on the calling thread. Returns the tokenizer's byte and invalid-UTF-8 counts.
func tokenizeAhead(_ path: String, options: TokenizerOptions = TokenizerOptions(),
                   _ consume: (TokenBatch) -> Void) throws -> (offset: Int, invalidBytes: Int) {
    final class Totals: @unchecked Sendable { var offset = 0, invalid = 0 }
    let totals = Totals()
    try pipeline(depth: 4, produce: { put in
        var tok = Tokenizer(options: options)
        var batch = TokenBatch()
        try ByteSource(path: path).produce { chunk in
            try tok.feed(chunk, into: &batch)
            if batch.failed { throw FlyVecError(.outOfSpace, "out of memory while tokenizing", offset: tok.offset) }
            if batch.events.count >= TokenBatch.target {
                batch.offset = tok.offset
                try put(batch)
                batch = TokenBatch()
            }
        }
        try tok.finish(into: &batch)
        if batch.failed { throw FlyVecError(.outOfSpace, "out of memory while tokenizing", offset: tok.offset) }
        batch.offset = tok.offset
        try put(batch)
        totals.offset = tok.offset
        totals.invalid = tok.invalidBytes
    }, consume: consume)
    return (totals.offset, totals.invalid)
}
