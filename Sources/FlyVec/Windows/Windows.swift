/// The n-gram bag samples of a corpus (ALGORITHM.md §2).
///
/// A sample is `width` consecutive tokens inside one sentence. Its input vector has 2·N_voc entries:
/// the context ids count in the first half, the centre word is one-hot in the second half
/// (`N_voc + id`); holes (id 0) contribute nothing. Each sample is at most `width` entries, never a
/// dense vector.
public struct Windows: Sendable {
    public let corpus: EncodedCorpus
    public let width: Int
    public let vocabularySize: Int
    /// The first token of every window, in corpus order.
    public let starts: [UInt32]

    public init(corpus: EncodedCorpus, width: Int, vocabularySize: Int) throws {
        guard width >= 1 else { throw FlyVecError.invalid("the window must hold at least one token") }
        guard corpus.ids.count < Int(UInt32.max) else { throw FlyVecError.invalid("corpora over 4 billion tokens are not supported") }
        self.corpus = corpus
        self.width = width
        self.vocabularySize = vocabularySize
        var starts: [UInt32] = []
        var begin = 0
        for end in corpus.sentenceEnds {
            if end - begin >= width {
                for p in begin...(end - width) where Self.hasEntry(corpus.ids, p, width) { starts.append(UInt32(p)) }
            }
            begin = end
        }
        self.starts = starts
    }

    private static func hasEntry(_ ids: [UInt32], _ p: Int, _ width: Int) -> Bool {
        for i in p..<(p + width) where ids[i] != 0 { return true }
        return false
    }

    public var count: Int { starts.count }

    /// The position of the centre word inside a window.
    public var centre: Int { width / 2 }

    /// The window starts of one epoch, shuffled with a generator seeded by `seed` and `epoch` alone,
    /// so a resumed run sees the same order.
    public func shuffledStarts(seed: UInt64, epoch: Int) -> [UInt32] {
        var order = starts
        var rng = SplitMix64(seed: seed, stream: 0x5EED_0000 &+ UInt64(epoch))
        var i = order.count
        while i > 1 {
            let j = Int(rng.next(below: UInt64(i)))
            i -= 1
            order.swapAt(i, j)
        }
        return order
    }

    /// The entries of the window starting at `start`: (input index, count), holes left out,
    /// repeated context words merged. Slow but plain; the trainer reads windows through `rows`.
    public func sample(at start: Int) -> [(index: Int, count: Int)] {
        var out: [(index: Int, count: Int)] = []
        for row in rows(at: start) {
            if let j = out.firstIndex(where: { $0.index == row }) { out[j].count += 1 } else { out.append((row, 1)) }
        }
        return out.sorted { $0.index < $1.index }
    }

    /// The input indices of the window starting at `start`, one per non-hole token, in window order.
    public func rows(at start: Int) -> [Int] {
        var out: [Int] = []
        for k in 0..<width {
            let id = Int(corpus.ids[start + k])
            if id == 0 { continue }
            out.append(k == centre ? vocabularySize + id : id)
        }
        return out
    }
}
