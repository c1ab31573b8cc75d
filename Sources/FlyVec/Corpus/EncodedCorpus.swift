/// A corpus as token ids: every sentence's ids back to back, with the sentence ends.
///
/// Id 0 (`<UNK>`) stands for every hole: unknown words and stop words. Encoding happens once, so
/// epochs never tokenize again, and every pass sees the same order.
public struct EncodedCorpus: Sendable {
    /// Token ids of all sentences, concatenated.
    public internal(set) var ids: [UInt32]
    /// `sentenceEnds[s]` is one past the last id of sentence `s`.
    public internal(set) var sentenceEnds: [Int]

    public init(ids: [UInt32], sentenceEnds: [Int]) {
        self.ids = ids
        self.sentenceEnds = sentenceEnds
    }

    public var tokenCount: Int { ids.count }
    public var sentenceCount: Int { sentenceEnds.count }

    /// The ids of sentence `s`.
    public func sentence(_ s: Int) -> ArraySlice<UInt32> {
        ids[(s == 0 ? 0 : sentenceEnds[s - 1])..<sentenceEnds[s]]
    }
}

/// What reading a corpus found, for the user.
public struct CorpusStatistics: Sendable, Equatable {
    public var bytes = 0
    public var tokens = 0
    public var sentences = 0
    /// Distinct token types (every spelling seen, `<NUM>` tokens as one type).
    public var types = 0
    /// Tokens that are vocabulary words (not `<UNK>` and not stop words), `<NUM>` included.
    public var coveredTokens = 0
    public var stopWordTokens = 0
    /// Invalid UTF-8 sequences dropped (zero in strict mode, which rejects them).
    public var invalidBytes = 0

    public init() {}

    public var coverage: Double { tokens == 0 ? 0 : Double(coveredTokens) / Double(tokens) }
}
