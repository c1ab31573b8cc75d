extension Tokenizer {
    /// Tokenizes a whole string into sentences of tokens (`<NUM>` for digit-bearing tokens).
    /// Convenient for queries and tests; corpora go through `feed`.
    public static func sentences(of text: String, options: TokenizerOptions = TokenizerOptions()) -> [[String]] {
        var tokenizer = Tokenizer(options: TokenizerOptions(ascii: options.ascii, strict: false, pretokenized: options.pretokenized))
        var collector = SentenceCollector()
        var utf8 = Array(text.utf8)
        utf8.withUnsafeMutableBytes { try? tokenizer.feed(UnsafeRawBufferPointer($0), into: &collector) }
        try? tokenizer.finish(into: &collector)
        return collector.sentences
    }

    /// Feeds the whole file at `path` (`-` is standard input; plain or zstd) through a tokenizer
    /// with `options` into `sink`; `progress` gets the plain bytes of the file read so far.
    /// - Throws: ``FlyVecError`` naming the file.
    public static func tokenize<S: TokenSink>(file path: String, options: TokenizerOptions, into sink: inout S,
                                              progress: ((Int) -> Void)? = nil) throws {
        var tokenizer = Tokenizer(options: options)
        do {
            try ByteSource(path: path).forEachChunk {
                try tokenizer.feed($0, into: &sink)
                progress?(tokenizer.offset)
            }
            try tokenizer.finish(into: &sink)
        } catch let e as FlyVecError where e.file == nil {
            throw e.naming(path)
        }
    }

    /// Calls `body` with every sentence of the file at `path` as a list of tokens, a chunk of the
    /// file at a time.
    /// - Throws: ``FlyVecError`` naming the file, or what `body` throws.
    public static func forEachSentence(inFile path: String, options: TokenizerOptions,
                                       progress: ((Int) -> Void)? = nil,
                                       _ body: ([String]) throws -> Void) throws {
        var tokenizer = Tokenizer(options: options)
        var sink = SentenceCollector()
        do {
            try ByteSource(path: path).forEachChunk { chunk in
                try tokenizer.feed(chunk, into: &sink)
                progress?(tokenizer.offset)
                for s in sink.sentences { try body(s) }
                sink.sentences.removeAll(keepingCapacity: true)
            }
            try tokenizer.finish(into: &sink)
        } catch let e as FlyVecError where e.file == nil {
            throw e.naming(path)
        }
        for s in sink.sentences { try body(s) }
    }
}

/// Gathers tokens as strings, sentence by sentence (`<NUM>` and `<UNK>` for the special tokens).
struct SentenceCollector: TokenSink {
    var sentences: [[String]] = []
    var current: [String] = []

    mutating func token(_ bytes: UnsafeRawBufferPointer, hasDigit: Bool) {
        current.append(hasDigit ? Vocabulary.numToken : String(decoding: bytes, as: UTF8.self))
    }

    mutating func overlongToken() { current.append(Vocabulary.unknownToken) }

    mutating func endSentence() {
        sentences.append(current)
        current = []
    }
}
