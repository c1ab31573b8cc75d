/// The words FlyVec learns, with their corpus counts. Ids 0 and 1 are `<UNK>` and `<NUM>`.
///
/// Stop words are not vocabulary entries: like unknown words they become holes in windows. An
/// ``EncodedCorpus`` still tells them apart (ids from `count` up, `sortedStopWords`), for the usage
/// profile.
public struct Vocabulary: Sendable, Equatable {
    /// The word of id 0, standing for every token out of the vocabulary.
    public static let unknownToken = "<UNK>"
    /// The word of id 1: the tokenizer turns every token with a decimal digit into it (overlong
    /// tokens aside, which become `<UNK>`).
    public static let numToken = "<NUM>"
    /// The id of `<UNK>`; in an ``EncodedCorpus`` it marks every unknown word.
    public static let unknownID = 0
    /// The id of `<NUM>`.
    public static let numID = 1

    /// The word of each id.
    public private(set) var words: [String]
    /// The corpus count of each id (for `<UNK>`: tokens out of the vocabulary, stop words excluded).
    public private(set) var counts: [Int]
    /// Words treated as holes.
    public let stopWords: Set<String>
    private let index: [String: Int]

    /// Builds a vocabulary from words and counts in id order; the first two must be the specials.
    public init(words: [String], counts: [Int], stopWords: Set<String>) throws {
        guard words.count == counts.count, words.count >= 2,
              words[0] == Self.unknownToken, words[1] == Self.numToken else {
            throw FlyVecError(.invalidInput, "a vocabulary starts with <UNK> and <NUM>, one count per word")
        }
        var index: [String: Int] = [:]
        index.reserveCapacity(words.count)
        for (i, w) in words.enumerated() {
            if index.updateValue(i, forKey: w) != nil { throw FlyVecError(.invalidInput, "word '\(w)' appears twice in the vocabulary") }
        }
        self.words = words
        self.counts = counts
        self.stopWords = stopWords
        self.index = index
    }

    /// Number of ids, specials included (N_voc).
    public var count: Int { words.count }

    /// The stop words, sorted: in an ``EncodedCorpus``, the j-th is id `count + j`.
    public var sortedStopWords: [String] { stopWords.sorted() }

    /// The id of a token as the tokenizer emits it; nil for stop words and unknown words.
    public func id(of word: String) -> Int? {
        if stopWords.contains(word) { return nil }
        guard let i = index[word], i != Self.unknownID else { return nil }
        return i
    }

    /// Chooses the vocabulary from raw counts, as docs/ALGORITHM.md §1 says.
    /// - Parameters:
    ///   - candidates: `(word, count, sentences containing it)` for every token type seen (types
    ///     under `options.minCount` may be left out).
    ///   - numCount: how many `<NUM>` tokens were seen.
    ///   - stopWordTokens: how many tokens were stop words.
    ///   - totalTokens: every token of the corpus, holes included.
    ///   - sentences: the number of sentences in the corpus.
    ///   - options: the minimum count, the size limit, the sentence fraction and the stop words.
    public static func select(candidates: [(word: String, count: Int, sentences: Int)], numCount: Int,
                              stopWordTokens: Int, totalTokens: Int, sentences: Int,
                              options: VocabularyOptions) throws -> Vocabulary {
        let stop = Set(options.stopWords)
        let maxSentences = options.maxSentenceFraction * Double(max(sentences, 1))
        var kept = candidates.filter {
            $0.count >= options.minCount && Double($0.sentences) <= maxSentences && !stop.contains($0.word)
        }
        kept.sort { $0.count != $1.count ? $0.count > $1.count : $0.word < $1.word }
        if kept.count > options.maxSize { kept.removeSubrange(options.maxSize...) }
        let keptCount = kept.reduce(0) { $0 + $1.count }
        let unknown = totalTokens - numCount - keptCount - stopWordTokens
        return try Vocabulary(words: [unknownToken, numToken] + kept.map(\.word),
                              counts: [unknown, numCount] + kept.map(\.count), stopWords: stop)
    }
}
