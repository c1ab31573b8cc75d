import Foundation

/// One pass over a corpus that adds, for every occurrence of a word, the weighted vectors of the
/// words around it (inside its sentence) into that word's sum.
struct ContextPass {
    let corpus: EncodedCorpus
    let window: Int
    let weights: [Float]
    let units: Int
    let words: Int
    /// Threads; each adds into the words of its own share of ids, so sums keep one order.
    let threads: Int

    /// Per word, its number of occurrences.
    func occurrences() -> [Int] {
        var seen = [Int](repeating: 0, count: words)
        // Ids after the last sentence end are in no sentence (the reader never leaves any).
        for id in corpus.ids[..<Int(corpus.sentenceEnds.last ?? 0)] where WindowShape.isWord(Int(id), vocabularySize: words) {
            seen[Int(id)] += 1
        }
        return seen
    }

    /// Per word, the sum over its occurrences of the weighted vectors (K floats each) of the words
    /// around it.
    func sums(of vectors: [Float]) -> [Float] {
        let K = units
        let shape = WindowShape(width: window)
        // Float sums: twice the SIMD width of Double and half the memory (1.3 GB at K 4096); the
        // codes depend only on the order of each word's values, which this precision keeps.
        var sums = [Float](repeating: 0, count: words * K)
        let ids = corpus.ids, ends = corpus.sentenceEnds, weights = weights
        // Each thread scans the whole corpus but adds only into the words of its own share of ids,
        // so every sum keeps one order whatever the thread count.
        let parts = threads
        sums.withUnsafeMutableBufferPointer { acc in
            vectors.withUnsafeBufferPointer { c in
                concurrently(parts) { part in
                    var start = 0
                    for s in 0..<ends.count {
                        let end = Int(ends[s])
                        for p in start..<end {
                            let id = Int(ids[p])
                            if !WindowShape.isWord(id, vocabularySize: words) || id % parts != part { continue }
                            for q in shape.positions(around: p, in: start..<end) where q != p {
                                let other = Int(ids[q])
                                if !WindowShape.isWord(other, vocabularySize: words) { continue }
                                let w = weights[other]
                                let to = acc.baseAddress! + id * K, from = c.baseAddress! + other * K
                                for u in 0..<K { to[u] += w * from[u] }
                            }
                        }
                        start = end
                    }
                }
            }
        }
        return sums
    }
}
