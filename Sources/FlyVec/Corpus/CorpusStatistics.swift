/// What reading a corpus found, for the user.
public struct CorpusStatistics: Sendable, Equatable {
    /// Plain bytes read over all input files (after zstd decompression).
    public var bytes = 0
    /// Tokens read, holes included: vocabulary words, `<NUM>`, stop words, unknown and overlong tokens.
    public var tokens = 0
    /// Sentences with at least one token.
    public var sentences = 0
    /// Distinct token types (every spelling seen, `<NUM>` tokens as one type).
    public var types = 0
    /// Tokens that are vocabulary words (not `<UNK>` and not stop words), `<NUM>` included.
    public var coveredTokens = 0
    /// Tokens that are stop words (holes in every window).
    public var stopWordTokens = 0
    /// Invalid UTF-8 sequences dropped (zero in strict mode, which rejects them).
    public var invalidBytes = 0

    /// Statistics with every count 0.
    public init() {}

    /// The fraction of tokens that are vocabulary words, `coveredTokens / tokens`, in 0…1 (0 when
    /// there are no tokens).
    public var coverage: Double { tokens == 0 ? 0 : Double(coveredTokens) / Double(tokens) }
}
