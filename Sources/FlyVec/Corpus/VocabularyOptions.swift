/// How the vocabulary is chosen from the counts (docs/ALGORITHM.md §1).
public struct VocabularyOptions: Sendable, Equatable {
    /// Keep words seen at least this often.
    public var minCount = 15
    /// Keep at most this many words (the two special tokens come on top).
    public var maxSize = 20_000
    /// Drop words found in more than this fraction of sentences.
    public var maxSentenceFraction = 0.8
    /// Words that become holes in every window instead of vocabulary entries.
    public var stopWords: [String] = EnglishStopWords.words

    /// FlyVec's defaults: words seen 15 times or more, at most 20,000 of them, none in over 80% of
    /// sentences, and the built-in English stop words.
    public init() {}

    /// Rejects settings that cannot choose a vocabulary.
    /// - Throws: ``FlyVecError`` `invalidParameter` naming the setting.
    public func validate() throws {
        if minCount < 1 { throw FlyVecError.parameter("minCount", "must be at least 1 (got \(minCount))") }
        if maxSize < 1 { throw FlyVecError.parameter("maxSize", "must be at least 1 (got \(maxSize))") }
        if !(maxSentenceFraction > 0 && maxSentenceFraction <= 1) {
            throw FlyVecError.parameter("maxSentenceFraction", "must be in (0, 1] (got \(maxSentenceFraction))")
        }
    }
}
