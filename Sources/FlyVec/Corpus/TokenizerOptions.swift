/// How the tokenizer treats text; the defaults are FlyVec's, `ascii` is the reference's.
public struct TokenizerOptions: Sendable, Equatable {
    /// Drop every non-ASCII character, as the reference does.
    public var ascii = false
    /// Reject invalid UTF-8 instead of dropping the bad bytes.
    public var strict = false
    public init(ascii: Bool = false, strict: Bool = false) {
        self.ascii = ascii
        self.strict = strict
    }
}
