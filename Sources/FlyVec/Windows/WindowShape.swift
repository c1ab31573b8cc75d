/// The one definition of a window's geometry, used by training, contextual codes and the usage
/// profile alike: `width` consecutive tokens of one sentence around a centre word, `before` of them
/// before it and `after` after it (the extra one goes before when the width is even).
///
/// In the n-gram bag vector of a window the centre word is one-hot in the target half (input row
/// `N_voc + id`) and every other token counts in the context half (row `id`); holes (id 0, and the
/// stop words' ids from N_voc up) have no row.
public struct WindowShape: Sendable, Equatable {
    /// Tokens in a window, the centre word included.
    public let width: Int

    /// The shape of `width`-token windows (not checked here; ``Windows`` requires at least 1).
    public init(width: Int) { self.width = width }

    /// Tokens before the centre word; also the centre word's offset in the window.
    @inline(__always) public var before: Int { width / 2 }
    /// Tokens after the centre word.
    @inline(__always) public var after: Int { width - 1 - width / 2 }
    /// The centre word's offset in the window, equal to `before`.
    @inline(__always) public var centre: Int { before }

    /// The input row of token `id` at `offset` (0..<width) in a window of a vocabulary of
    /// `vocabularySize` ids; nil for a hole (id 0, or a stop word's id, `vocabularySize` or more).
    @inline(__always)
    public func row(offset: Int, id: Int, vocabularySize: Int) -> Int? {
        guard Self.isWord(id, vocabularySize: vocabularySize) else { return nil }
        return offset == centre ? vocabularySize + id : id
    }

    /// Whether `id` of an ``EncodedCorpus`` is a vocabulary word of `vocabularySize` ids, not a hole.
    @inline(__always)
    public static func isWord(_ id: Int, vocabularySize: Int) -> Bool {
        // One unsigned comparison for 0 < id < vocabularySize.
        UInt(bitPattern: id &- 1) < UInt(bitPattern: vocabularySize &- 1)
    }

    /// The positions of the window centred on position `p`, cut to its sentence `sentence`.
    @inline(__always)
    public func positions(around p: Int, in sentence: Range<Int>) -> ClosedRange<Int> {
        max(sentence.lowerBound, p - before)...min(sentence.upperBound - 1, p + after)
    }
}
