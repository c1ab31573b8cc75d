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

    /// Feeds the files at `paths` (`-` is standard input; plain or zstd), in order, each through a
    /// fresh tokenizer with `options`, into `sink`; `afterChunk` runs after every chunk fed, and
    /// `progress` gets the plain bytes of all the files read so far.
    /// - Throws: ``FlyVecError`` naming the file, or what `afterChunk` throws.
    public static func tokenize<S: TokenSink>(files paths: [String], options: TokenizerOptions, into sink: inout S,
                                              progress: ((Int) -> Void)? = nil,
                                              afterChunk: (inout S) throws -> Void = { _ in }) throws {
        var before = 0
        for path in paths {
            var tokenizer = Tokenizer(options: options)
            do {
                try ByteSource(path: path).forEachChunk {
                    try tokenizer.feed($0, into: &sink)
                    progress?(before + tokenizer.offset)
                    try afterChunk(&sink)
                }
                try tokenizer.finish(into: &sink)
            } catch let e as FlyVecError where e.file == nil {
                throw e.naming(path)
            }
            try afterChunk(&sink)
            before += tokenizer.offset
        }
    }

    /// Calls `body` with every sentence of the files at `paths` as a list of tokens, a chunk of
    /// a file at a time; `progress` as in `tokenize(files:options:into:progress:afterChunk:)`.
    /// - Throws: ``FlyVecError`` naming the file, or what `body` throws.
    public static func forEachSentence(inFiles paths: [String], options: TokenizerOptions,
                                       progress: ((Int) -> Void)? = nil,
                                       _ body: ([String]) throws -> Void) throws {
        var sink = SentenceCollector()
        try tokenize(files: paths, options: options, into: &sink, progress: progress) { sink in
            for s in sink.sentences { try body(s) }
            sink.sentences.removeAll(keepingCapacity: true)
        }
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
