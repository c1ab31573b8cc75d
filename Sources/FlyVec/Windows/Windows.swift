/// The n-gram bag samples of a corpus (docs/ALGORITHM.md §2).
///
/// A sample is `width` consecutive tokens inside one sentence. Its input vector has 2·N_voc entries:
/// the context ids count in the first half, the centre word is one-hot in the second half
/// (`N_voc + id`); holes (id 0, and stop words' ids from N_voc up) contribute nothing. Each sample
/// is at most `width` entries, never a dense vector.
public struct Windows: Sendable {
    /// The encoded corpus the windows lie in.
    public let corpus: EncodedCorpus
    /// The window geometry: `width` tokens around a centre word.
    public let shape: WindowShape
    /// Tokens per window, the centre word included.
    public var width: Int { shape.width }
    /// N_voc, the vocabulary's ids: input rows are 0..<2·N_voc.
    public let vocabularySize: Int
    /// How many windows the corpus has.
    public let count: Int

    /// The windows of `corpus`: every run of `width` tokens inside one sentence that holds a
    /// non-hole token. Counting them is one pass over the corpus.
    /// - Throws: ``FlyVecError`` `invalidParameter` for a width under 1, `unsupported` for a
    ///   corpus of 2³² − 1 tokens or more.
    public init(corpus: EncodedCorpus, width: Int, vocabularySize: Int) throws {
        guard width >= 1 else { throw FlyVecError.parameter("window", "must hold at least one token (got \(width))") }
        guard corpus.tokenCount < Int(UInt32.max) else { throw FlyVecError(.unsupported, "corpora over 4 billion tokens are not supported") }
        self.corpus = corpus
        shape = WindowShape(width: width)
        self.vocabularySize = vocabularySize
        var n = 0
        Self.forEachStart(corpus, width, vocabularySize) { _ in n += 1 }
        count = n
    }

    /// Calls `body` with the first token of every window, in corpus order: windows lie inside one
    /// sentence and hold at least one non-hole token.
    private static func forEachStart(_ corpus: EncodedCorpus, _ width: Int, _ vocabularySize: Int, _ body: (Int) -> Void) {
        let ids = corpus.ids
        var begin = 0
        for e in corpus.sentenceEnds {
            let end = Int(e)
            if end - begin >= width {
                for p in begin...(end - width) {
                    for i in p..<(p + width) where WindowShape.isWord(Int(ids[i]), vocabularySize: vocabularySize) { body(p); break }
                }
            }
            begin = end
        }
    }

    /// Appends the window starts, in corpus order, to `buffer`.
    func fillStarts(_ buffer: IdBuffer) {
        Self.forEachStart(corpus, width, vocabularySize) { buffer.append(UInt32($0)) }
    }

    /// The window starts in corpus order (a copy; the trainer never makes one).
    public var starts: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        Self.forEachStart(corpus, width, vocabularySize) { out.append(UInt32($0)) }
        return out
    }

    /// The position of the centre word inside a window.
    public var centre: Int { shape.centre }

    /// Shuffles `order` in place for `epoch` with a generator seeded by `seed` and `epoch` alone.
    /// Epoch e's order is the starts shuffled for epochs 0, 1, …, e in turn, so it depends on the
    /// seed and the epoch only, and a resumed run sees the same order.
    static func shuffle(_ order: UnsafeMutableBufferPointer<UInt32>, seed: UInt64, epoch: Int) {
        var rng = SplitMix64(seed: seed, stream: 0x5EED_0000 &+ UInt64(epoch))
        var i = order.count
        while i > 1 {
            let j = Int(rng.next(below: UInt64(i)))
            i -= 1
            order.swapAt(i, j)
        }
    }

    /// The window starts in the order of `epoch` (a copy, for tests and tools).
    public func shuffledStarts(seed: UInt64, epoch: Int) -> [UInt32] {
        var order = starts
        order.withUnsafeMutableBufferPointer { o in
            for e in 0...epoch { Self.shuffle(o, seed: seed, epoch: e) }
        }
        return order
    }

    /// The entries of the window starting at `start`: (input index, count), holes left out,
    /// repeated context words merged. Slow but plain: the trainer reads the ids through `shape`.
    public func sample(at start: Int) -> [(index: Int, count: Int)] {
        var out: [(index: Int, count: Int)] = []
        for row in rows(at: start) {
            if let j = out.firstIndex(where: { $0.index == row }) { out[j].count += 1 } else { out.append((row, 1)) }
        }
        return out.sorted { $0.index < $1.index }
    }

    /// The input indices of the window starting at `start`, one per non-hole token, in window order.
    public func rows(at start: Int) -> [Int] {
        precondition(start >= 0 && start + width <= corpus.tokenCount, "no window starts at \(start)")
        var out: [Int] = []
        for k in 0..<width {
            if let row = shape.row(offset: k, id: Int(corpus.ids[start + k]), vocabularySize: vocabularySize) { out.append(row) }
        }
        return out
    }
}
