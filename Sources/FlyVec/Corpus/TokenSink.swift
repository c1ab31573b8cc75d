/// Receives what the tokenizer finds, in order.
public protocol TokenSink {
    /// A token: lower-cased UTF-8 with punctuation removed. `hasDigit` marks a `<NUM>` token.
    /// The bytes are valid only during the call, and readable up to the next multiple of 8.
    mutating func token(_ bytes: UnsafeRawBufferPointer, hasDigit: Bool)
    /// A token longer than `Tokenizer.maxTokenBytes`: it counts as unknown.
    mutating func overlongToken()
    /// The end of a sentence (after `.` or `?` and white space, at a line end, at the end of a file).
    mutating func endSentence()
}
