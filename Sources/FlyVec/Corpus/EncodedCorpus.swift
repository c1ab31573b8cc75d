/// A corpus as token ids: every sentence's ids back to back, with the sentence ends.
///
/// Id 0 (`<UNK>`) stands for every unknown word. A stop word is N_voc + j, the j-th of the
/// vocabulary's `sortedStopWords`: a hole for training like id 0, but a context word the usage
/// profile can count (docs/ALGORITHM.md §9). Encoding happens once, so epochs never tokenize again,
/// and every pass sees the same order.
///
/// The ids live in an `IdBuffer`: in memory for ordinary corpora, in a memory-mapped temporary file
/// for corpora larger than `IdBuffer.defaultSpillBytes` (or the reader's `spillBytes`).
public struct EncodedCorpus: Sendable {
    let storage: IdBuffer
    let ends: IdBuffer

    init(storage: IdBuffer, sentenceEnds: IdBuffer) {
        self.storage = storage
        self.ends = sentenceEnds
    }

    /// A corpus from ids already encoded (0 for unknown words, N_voc + j for stop word j, or 0
    /// for them too) and each sentence's end, one past its last
    /// id, ascending, the last at most `ids.count`.
    /// - Throws: ``FlyVecError`` `invalidInput` for ends out of order or out of range, `outOfSpace`
    ///   when the ids outgrow memory or the temporary disk space.
    public init(ids: [UInt32], sentenceEnds: [Int]) throws {
        var previous = 0
        for (s, end) in sentenceEnds.enumerated() {
            guard end >= previous && end <= ids.count && ids.count < Int(UInt32.max) else {
                throw FlyVecError(.invalidInput, "sentence \(s) ends at \(end), after \(previous), of \(ids.count) ids")
            }
            previous = end
        }
        let b = IdBuffer(), e = IdBuffer()
        for id in ids { b.append(id) }
        for end in sentenceEnds { e.append(UInt32(end)) }
        try b.check()
        try e.check()
        self.init(storage: b, sentenceEnds: e)
    }

    /// `sentenceEnds[s]` is one past the last id of sentence `s` (in an `IdBuffer` too, so a huge
    /// corpus's sentence table is memory-mapped like its ids).
    var sentenceEnds: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(ends.buffer) }

    /// Token ids of all sentences, concatenated (valid while the corpus is alive).
    var ids: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(storage.buffer) }

    /// Calls `body` with the token ids of all sentences, concatenated, in place (never copied:
    /// they may be gigabytes, memory-mapped).
    public func withIds<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(ids) }
    }

    /// One past the last id of every sentence, in order.
    public var sentenceEndPositions: [Int] { sentenceEnds.map { Int($0) } }
    /// Whether the ids are memory-mapped from a temporary file.
    public var isMapped: Bool { storage.isMapped }
    /// Token ids in all sentences, holes included.
    public var tokenCount: Int { storage.count }
    /// Number of sentences, as many as `sentenceEndPositions` has entries.
    public var sentenceCount: Int { sentenceEnds.count }

    /// The ids of sentence `s`.
    public func sentence(_ s: Int) -> [UInt32] {
        Array(ids[(s == 0 ? 0 : Int(sentenceEnds[s - 1]))..<Int(sentenceEnds[s])])
    }
}
