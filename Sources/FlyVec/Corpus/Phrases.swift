/// Frequent collocations (`new york`) learned from a corpus and joined into single tokens
/// (`new_york`), so that a phrase gets a code like a word: word2vec's phrase score as gensim's
/// `Phrases` computes it by default,
///
///     score(a, b) = (count(a b) − minCount) / (count(a) · count(b)) · |vocabulary|,
///
/// |vocabulary| being the distinct words and word pairs seen. A pair of adjacent tokens in one
/// sentence is joined when its score exceeds `threshold`; stop words are never joined (they are
/// holes in training windows, and `of_the` would be a word that is not one), nor are `<NUM>` and
/// overlong tokens. Joining runs left to right, so `a b c` with both pairs above the threshold
/// gives `a_b c`.
public struct Phrases: Sendable {
    /// How phrases are learned.
    public struct Options: Sendable, Equatable {
        /// Pairs seen fewer times are never joined (gensim's `min_count`).
        public var minCount = 5
        /// The score a pair must exceed (gensim's `threshold`).
        public var threshold = 10.0
        /// What joins the words of a phrase.
        public var delimiter = "_"
        /// Words that are never part of a phrase (FlyVec's stop words by default).
        public var stopWords: Set<String> = Set(EnglishStopWords.words)

        /// The defaults: gensim's `Phrases` settings and FlyVec's stop words.
        public init() {}
    }

    /// The learned phrases: the first word, then the second, for every pair that is joined.
    public let pairs: Set<Pair>
    /// How the phrases were learned; `delimiter` joins them.
    public let options: Options

    /// Two adjacent words.
    public struct Pair: Hashable, Sendable {
        /// The word on the left.
        public let first: String
        /// The word on the right.
        public let second: String

        /// The pair `first second`.
        public init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }
    }

    /// Phrases given directly (for tests and tools).
    public init(pairs: Set<Pair>, options: Options = Options()) {
        self.pairs = pairs
        self.options = options
    }

    /// Learns the phrases of corpus files (`-` is standard input: it can be read only once, so
    /// learning and joining need a file), tokenized with `tokenizer`; `progress` gets the plain
    /// bytes read so far over all files.
    public init(learningFrom paths: [String], tokenizer: TokenizerOptions = TokenizerOptions(),
                options: Options = Options(), progress: ((Int) -> Void)? = nil) throws {
        var counts = PairCounts(stopWords: options.stopWords)
        try Tokenizer.forEachSentence(inFiles: paths, options: tokenizer, progress: progress) { counts.add($0) }
        self.init(pairs: counts.phrases(minCount: options.minCount, threshold: options.threshold), options: options)
    }

    /// `sentence` with every learned pair joined, left to right.
    public func join(_ sentence: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(sentence.count)
        var i = 0
        while i < sentence.count {
            if i + 1 < sentence.count && pairs.contains(Pair(sentence[i], sentence[i + 1])) {
                out.append(sentence[i] + options.delimiter + sentence[i + 1])
                i += 2
            } else {
                out.append(sentence[i])
                i += 1
            }
        }
        return out
    }

    /// Writes `paths` tokenized with `tokenizer`, phrases joined, as pretokenized text (a sentence
    /// a line, tokens separated by spaces; `<NUM>` and `<UNK>` as the tokenizer names them) through
    /// `sink`, to be trained on with `TokenizerOptions.pretokenized`.
    public func write(_ paths: [String], tokenizer: TokenizerOptions = TokenizerOptions(),
                      progress: ((Int) -> Void)? = nil, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var out: [UInt8] = []
        try Tokenizer.forEachSentence(inFiles: paths, options: tokenizer, progress: progress) { sentence in
            out += Array(join(sentence).joined(separator: " ").utf8)
            out.append(0x0A)
            if out.count >= 1 << 20 {
                try out.withUnsafeBytes { try sink($0) }
                out.removeAll(keepingCapacity: true)
            }
        }
        try out.withUnsafeBytes { try sink($0) }
    }
}

/// Word and adjacent-pair counts, words interned as ids. Every pair counts towards the vocabulary
/// size of the score, as in gensim; only joinable ones can become phrases.
private struct PairCounts {
    let stopWords: Set<String>
    var ids: [String: Int32] = [:]
    var words: [String] = []
    var wordCounts: [Int] = []
    var pairCounts: [UInt64: Int] = [:]

    init(stopWords: Set<String>) { self.stopWords = stopWords }

    private mutating func id(_ word: String) -> Int32 {
        if let i = ids[word] { return i }
        let i = Int32(words.count)
        ids[word] = i
        words.append(word)
        wordCounts.append(0)
        return i
    }

    /// Whether `word` may be part of a phrase.
    private func joinable(_ word: String) -> Bool {
        word != Vocabulary.numToken && word != Vocabulary.unknownToken && !stopWords.contains(word)
    }

    mutating func add(_ sentence: [String]) {
        var previous: Int32 = -1
        for word in sentence {
            let w = id(word)
            wordCounts[Int(w)] += 1
            if previous >= 0 { pairCounts[UInt64(UInt32(previous)) << 32 | UInt64(UInt32(w)), default: 0] += 1 }
            previous = w
        }
    }

    /// The pairs whose score exceeds `threshold`.
    func phrases(minCount: Int, threshold: Double) -> Set<Phrases.Pair> {
        // gensim's len_vocab: the distinct words and pairs counted.
        let vocabulary = Double(words.count + pairCounts.count)
        var out: Set<Phrases.Pair> = []
        for (key, n) in pairCounts where n >= minCount {
            let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
            guard joinable(words[a]) && joinable(words[b]) else { continue }
            let score = Double(n - minCount) / (Double(wordCounts[a]) * Double(wordCounts[b])) * vocabulary
            if score > threshold { out.insert(Phrases.Pair(words[a], words[b])) }
        }
        return out
    }
}
