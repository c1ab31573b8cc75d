import Foundation
import Testing
@_spi(Testing) import FlyVec

/// The usage profile's co-occurrence rows against a count taken pair by pair, and the rows a later
/// pass replays from the kept blocks against the ones the first pass counted.
@Suite struct CooccurrenceTests {
    /// Every occurrence of a word meets every other word of its window inside its sentence; holes
    /// (id 0 and ids from `words` up) neither count nor are counted.
    static func reference(ids: [UInt32], ends: [Int], window: Int, words: Int) -> [[Int32: Float]] {
        var rows = [[Int32: Float]](repeating: [:], count: words)
        let before = window / 2, after = window - 1 - window / 2
        var start = 0
        for end in ends {
            for p in start..<end where ids[p] > 0 && Int(ids[p]) < words {
                for q in max(start, p - before)...min(end - 1, p + after) where q != p && ids[q] > 0 && Int(ids[q]) < words {
                    rows[Int(ids[p])][Int32(ids[q]), default: 0] += 1
                }
            }
            start = end
        }
        return rows
    }

    /// Ids skewed towards the low ones (a few frequent words, long rows), with holes, empty
    /// sentences and tokens after the last sentence end.
    static func corpus(words: Int, count: Int) -> (ids: [UInt32], ends: [Int]) {
        var rng = SplitMix64(seed: 7)
        var ids: [UInt32] = [], ends: [Int] = []
        while ids.count < count {
            for _ in 0..<Int(rng.next(below: 30)) {
                let r = rng.next(below: 100)
                let u = Double(rng.next(below: 1_000_000)) / 1_000_000
                ids.append(r < 5 ? 0 : r < 15 ? UInt32(words) + UInt32(rng.next(below: 4)) : 1 + UInt32(Double(words - 1) * u * u * u))
            }
            ends.append(ids.count)
        }
        ids += [1, 2, 3]
        return (ids, ends)
    }

    @Test(arguments: [(threads: 1, window: 5, block: 16, kept: 1 << 25), (2, 7, 16, 1 << 25), (2, 4, 1, 1 << 25),
                      (3, 11, 1 << 20, 1 << 25), (2, 7, 16, 50)])
    func rowsAreTheWindowsCounts(_ c: (threads: Int, window: Int, block: Int, kept: Int)) throws {
        let words = 80
        let (ids, ends) = Self.corpus(words: words, count: 30_000)
        let rows = try cooccurrenceRows(corpus: try EncodedCorpus(ids: ids, sentenceEnds: ends), window: c.window, words: words,
                                        threads: c.threads, keptEntries: c.kept, blockEntries: c.block)
        let expected = Self.reference(ids: ids, ends: ends, window: c.window, words: words)
        for w in 0..<words {
            let keys = expected[w].keys.sorted()
            #expect(rows.counted.contexts[w] == keys, "word \(w)")
            #expect(rows.counted.counts[w] == keys.map { expected[w][$0]! }, "word \(w)")
        }
        #expect(rows.replayed == rows.counted)
        if c.kept < 1000 {
            // The rows do not fit: a later pass counts them again.
            #expect(rows.blocks == 0)
        } else {
            // Kept in blocks: many when a block holds 16 entries, one a thread when it holds them all.
            #expect(c.block < 1000 ? rows.blocks > 20 : rows.blocks == c.threads)
        }
    }
}
