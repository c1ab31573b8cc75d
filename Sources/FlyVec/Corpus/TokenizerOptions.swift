/// How the tokenizer treats text; the defaults are FlyVec's, `ascii` is the reference's.
public struct TokenizerOptions: Sendable, Equatable {
    /// Drop every non-ASCII character, as the reference does.
    public var ascii = false
    /// Reject invalid UTF-8 instead of dropping the bad bytes.
    public var strict = false
    /// Text already split into tokens (the output of another tokenizer, or phrases such as
    /// `new_york`): white space separates tokens, every line is a sentence, and each token is kept
    /// exactly as it is — case, punctuation and digits included.
    public var pretokenized = false

    /// Options with the given rules; the defaults are FlyVec's tokenizer.
    public init(ascii: Bool = false, strict: Bool = false, pretokenized: Bool = false) {
        self.ascii = ascii
        self.strict = strict
        self.pretokenized = pretokenized
    }
}
