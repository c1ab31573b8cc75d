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
