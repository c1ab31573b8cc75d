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
        var sink = InterningSink(ids: IdBuffer(spillBytes: spillBytes))
        var totalBytes = 0
        var invalid = 0
        for path in paths {
            var tok = Tokenizer(options: tokenizer)
            defer { tok.release() }
            do {
                try ByteSource(path: path).forEachChunk { chunk in
                    try tok.feed(chunk, into: &sink)
                    progress?(totalBytes + tok.offset)
                }
                try tok.finish(into: &sink)
            } catch let e as CorpusError where e.file.isEmpty {
                throw CorpusError(file: path, position: e.position, reason: e.reason)
            }
            totalBytes += tok.offset
            invalid += tok.invalidBytes
        }
        if sink.ids.count == 0 {
            throw CorpusError(file: paths.joined(separator: ", "), reason: "the corpus has no tokens")
        }
        let types = sink.table.count
        var candidates: [(word: String, count: Int, sentences: Int)] = []
        candidates.reserveCapacity(types)
        for t in 0..<types {
            candidates.append((sink.table.word(t), sink.types[t + 2].count, sink.types[t + 2].sentences))
        }
        let vocab = try fixed ?? Vocabulary.select(candidates: candidates, numCount: sink.types[1].count,
                                                   totalTokens: sink.ids.count, sentences: sink.sentenceEnds.count,
                                                   options: vocabulary)
        // Provisional id → final id (0 for holes).
        var remap = [UInt32](repeating: 0, count: types + 2)
        remap[1] = UInt32(Vocabulary.numID)
        var stats = CorpusStatistics()
        for t in 0..<types {
            let w = candidates[t].word
            if let id = vocab.id(of: w) {
                remap[t + 2] = UInt32(id)
            } else if vocab.stopWords.contains(w) {
                stats.stopWordTokens += candidates[t].count
            }
        }
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

/// Counts and interns tokens as provisional ids: 0 overlong, 1 `<NUM>`, 2+ the table's types.
struct InterningSink: TokenSink {
    struct TypeCounts {
        var count = 0
        var sentences = 0
        var lastSentence = -1
    }

    var table = TokenTable()
    /// Per provisional id, in one array so a token touches one cache line.
    var types: [TypeCounts] = [TypeCounts(), TypeCounts()]
    let ids: IdBuffer
    var sentenceEnds: [Int] = []

    init(ids: IdBuffer) { self.ids = ids }


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

    mutating func token(_ bytes: UnsafeRawBufferPointer, hasDigit: Bool) {
        if hasDigit { add(1); return }
        let id = table.intern(bytes) + 2
        if id == types.count { types.append(TypeCounts()) }
        add(id)
    }

    mutating func overlongToken() { add(0) }

    mutating func endSentence() {
        if sentenceEnds.last != ids.count { sentenceEnds.append(ids.count) }
    }
}
