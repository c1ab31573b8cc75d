import Foundation

/// Reads corpus files once: tokenizes, chooses (or applies) the vocabulary, encodes the ids.
///
/// One streaming pass over the input, so standard input works too: tokens are interned as
/// provisional ids while counting, then renumbered in place once the vocabulary is known.
public struct CorpusReader {
    public var tokenizer = TokenizerOptions()
    public var vocabulary = VocabularyOptions()
    /// Called now and then with the plain bytes read so far.
    public var progress: ((Int) -> Void)?
    /// Id streams larger than this many bytes move to a memory-mapped temporary file.
    public var spillBytes = IdBuffer.defaultSpillBytes

    public init() {}

    /// Reads `paths` (`-` is standard input) and returns the vocabulary, the encoded corpus and counts.
    /// - Parameter fixed: use this vocabulary instead of choosing one from the counts.
    public func read(_ paths: [String], vocabulary fixed: Vocabulary? = nil) throws
        -> (Vocabulary, EncodedCorpus, CorpusStatistics)
    {
        var sink = InterningSink(ids: IdBuffer(spillBytes: spillBytes), sentenceEnds: IdBuffer(spillBytes: spillBytes))
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
            } catch let e as CorpusError where e.file.isEmpty {
                throw CorpusError(file: path, position: e.position, reason: e.reason)
            }
        }
        if sink.ids.count >= Int(UInt32.max) {
            throw CorpusError(file: paths.joined(separator: ", "), reason: "corpora of over 4 billion tokens are not supported")
        }
        if sink.ids.count == 0 {
            throw CorpusError(file: paths.joined(separator: ", "), reason: "the corpus has no tokens")
        }
        let types = sink.table.count
        // Only types seen --min-count times can be chosen: the long tail never becomes a String.
        let stopList = fixed.map { Array($0.stopWords) } ?? vocabulary.stopWords
        var stopTokens = 0
        for word in Set(stopList) {
            if let t = sink.table.find(word) { stopTokens += sink.types[t + 2].count }
        }
        let vocab: Vocabulary
        if let fixed {
            vocab = fixed
        } else {
            var candidates: [(word: String, count: Int, sentences: Int)] = []
            for t in 0..<types where sink.types[t + 2].count >= vocabulary.minCount {
                candidates.append((sink.table.word(t), sink.types[t + 2].count, sink.types[t + 2].sentences))
            }
            vocab = try Vocabulary.select(candidates: candidates, numCount: sink.types[1].count,
                                          stopWordTokens: stopTokens, totalTokens: sink.ids.count,
                                          sentences: sink.sentenceEnds.count, options: vocabulary)
        }
        // Provisional id → final id (0 for holes): a look-up per vocabulary word, not per type.
        var remap = [UInt32](repeating: 0, count: types + 2)
        remap[1] = UInt32(Vocabulary.numID)
        for id in 2..<vocab.count where !vocab.stopWords.contains(vocab.words[id]) {
            if let t = sink.table.find(vocab.words[id]) { remap[t + 2] = UInt32(id) }
        }
        var stats = CorpusStatistics()
        stats.stopWordTokens = stopTokens
        let ids = sink.ids
        var covered = 0
        let p = ids.buffer
        remap.withUnsafeBufferPointer { r in
            for i in p.indices {
                let id = r[Int(p[i])]
                p[i] = id
                if id != 0 { covered += 1 }
            }
        }
        stats.bytes = totalBytes
        stats.tokens = ids.count
        stats.sentences = sink.sentenceEnds.count
        stats.types = types + (sink.types[1].count > 0 ? 1 : 0)
        stats.coveredTokens = covered
        stats.invalidBytes = invalid
        return (vocab, EncodedCorpus(storage: ids, sentenceEnds: sink.sentenceEnds), stats)
    }
}

/// Tokens as the tokenizer found them, handed from the reading thread to the counting one.
struct TokenBatch: TokenSink {
    static let num: Int32 = -1, overlong: Int32 = -2, end: Int32 = -3
    /// A token's byte length, or one of the codes above.
    var events: [Int32] = []
    var hashes: [UInt64] = []
    var bytes: [UInt8] = []
    /// Plain bytes read when the batch was full.
    var offset = 0

    init() {
        events.reserveCapacity(1 << 16 + 1)
        hashes.reserveCapacity(1 << 16 + 1)
        bytes.reserveCapacity(1 << 19)
    }

    mutating func token(_ b: UnsafeRawBufferPointer, hasDigit: Bool) {
        if hasDigit { events.append(Self.num); return }
        events.append(Int32(b.count))
        hashes.append(TokenTable.hash(b))
        bytes.append(contentsOf: b)
    }
    mutating func overlongToken() { events.append(Self.overlong) }
    mutating func endSentence() { events.append(Self.end) }
}

/// Reads, decodes and tokenizes `path` on a second thread, a few batches ahead of `consume`,
/// which interns on the calling thread. Returns the tokenizer's byte and invalid-UTF-8 counts.
func tokenizeAhead(_ path: String, options: TokenizerOptions = TokenizerOptions(),
                   _ consume: (TokenBatch) -> Void) throws -> (offset: Int, invalidBytes: Int) {
    let channel = Channel<TokenBatch>(depth: 4)
    final class Totals: @unchecked Sendable { var offset = 0, invalid = 0 }
    let totals = Totals()
    let producer = Thread {
        var tok = Tokenizer(options: options)
        defer { tok.release() }
        do {
            var batch = TokenBatch()
            try ByteSource(path: path).produce { chunk in
                if channel.cancelled { throw CancellationError() }
                try tok.feed(chunk, into: &batch)
                if batch.events.count >= 1 << 16 {
                    batch.offset = tok.offset
                    channel.put(batch)
                    batch = TokenBatch()
                }
            }
            try tok.finish(into: &batch)
            batch.offset = tok.offset
            channel.put(batch)
            totals.offset = tok.offset
            totals.invalid = tok.invalidBytes
            channel.close(error: nil)
        } catch {
            channel.close(error: error)
        }
    }
    producer.stackSize = 1 << 20
    producer.start()
    while let batch = channel.take() { consume(batch) }
    if let error = channel.error { throw error }
    return (totals.offset, totals.invalid)
}

/// Counts and interns tokens as provisional ids: 0 overlong, 1 `<NUM>`, 2+ the table's types.
/// Fed by `consume`, one batch from the reading thread at a time.
struct InterningSink {
    struct TypeCounts {
        var count = 0
        var sentences = 0
        var lastSentence = -1
    }

    var table = TokenTable()
    /// Per provisional id, in one array so a token touches one cache line.
    var types: [TypeCounts] = [TypeCounts(), TypeCounts()]
    let ids: IdBuffer
    let sentenceEnds: IdBuffer
    private var lastEnd = -1

    init(ids: IdBuffer, sentenceEnds: IdBuffer) {
        self.ids = ids
        self.sentenceEnds = sentenceEnds
    }

    @inline(__always)
    private mutating func add(_ id: Int) {
        let s = sentenceEnds.count
        types.withUnsafeMutableBufferPointer { t in
            t[id].count += 1
            if t[id].lastSentence != s {
                t[id].lastSentence = s
                t[id].sentences += 1
            }
        }
        ids.append(UInt32(id))
    }

    private mutating func endSentence() {
        if lastEnd != ids.count {
            sentenceEnds.append(UInt32(truncatingIfNeeded: ids.count))
            lastEnd = ids.count
        }
    }

    /// Interns a batch from the reading thread, in order.
    mutating func consume(_ batch: TokenBatch) {
        var at = 0, token = 0
        batch.bytes.withUnsafeBytes { b in
            for e in batch.events {
                switch e {
                case TokenBatch.num: add(1)
                case TokenBatch.overlong: add(0)
                case TokenBatch.end: endSentence()
                default:
                    let n = Int(e)
                    let id = table.intern(UnsafeRawBufferPointer(rebasing: b[at..<at + n]), hash: batch.hashes[token]) + 2
                    if id == types.count { types.append(TypeCounts()) }
                    add(id)
                    at += n
                    token += 1
                }
            }
        }
    }
}
