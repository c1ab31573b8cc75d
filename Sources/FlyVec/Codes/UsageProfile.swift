import Foundation

/// How each vocabulary word is used in a corpus: the mean, over the word's occurrences, of the
/// context half of the synapses of the words around it (each weighted by its count^−power),
/// z-scored per unit over the vocabulary. Words used in alike contexts get alike profiles, which
/// is what word-similarity benchmarks ask for; read out as `Readout.usage` (docs/RESULTS.md).
public struct UsageProfile: Sendable {
    /// The weight of a context word is its corpus count to the power −`defaultPower`.
    public static let defaultPower = 0.5

    public let units: Int
    /// Per vocabulary id, `units` z-scored values.
    let vectors: [Float]
    /// Per unit, 1/σ of the raw profiles (for contextual codes).
    let inverseDeviation: [Float]
    /// Per vocabulary id, the weight of the word as a context word.
    let weights: [Float]

    /// One pass over `corpus` (encoded with `model`'s vocabulary).
    /// - Parameter window: the context around each occurrence, in words including the occurrence
    ///   (default: the model's training window); wider windows profile large-K models better.
    public init(model: Model, corpus: EncodedCorpus, power: Double = UsageProfile.defaultPower, window: Int? = nil) throws {
        let window = window ?? model.options.window
        guard window >= 2 else { throw FlyVecError.invalid("the usage window must be at least 2 words (got \(window))") }
        let K = model.options.hidden, n = model.vocabulary.count, syn = model.synapses
        let weights = model.vocabulary.counts.map { Float(_pow(Double(max($0, 1)), -power)) }
        // The context halves as true weights, K floats per word.
        var context = [Float](repeating: 0, count: n * K)
        for id in 0..<n { for u in 0..<K { context[id * K + u] = syn.weight(unit: u, input: id) } }
        let before = window / 2, after = window - 1 - before
        // Float sums: twice the SIMD width of Double and half the memory (1.3 GB at K 4096); the
        // codes depend only on the order of each word's values, which this precision keeps.
        var sums = [Float](repeating: 0, count: n * K)
        var seen = [Int](repeating: 0, count: n)
        let ids = corpus.ids, ends = corpus.sentenceEnds
        // Each thread scans the whole corpus but adds only into the words of its own share of ids,
        // so every sum keeps one order whatever the thread count.
        let parts = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        sums.withUnsafeMutableBufferPointer { acc in
            seen.withUnsafeMutableBufferPointer { seenBuffer in
                context.withUnsafeBufferPointer { c in
                    concurrently(parts) { part in
                        var start = 0
                        for s in 0..<ends.count {
                            let end = Int(ends[s])
                            for p in start..<end {
                                let id = Int(ids[p])
                                if id == 0 || id % parts != part { continue }
                                seenBuffer[id] += 1
                                for q in max(start, p - before)...min(end - 1, p + after) where q != p {
                                    let other = Int(ids[q])
                                    if other == 0 { continue }
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
        }
        // Means per word, then each unit z-scored over the words seen.
        let used = (1..<n).filter { seen[$0] > 0 }
        let stats = UnitStatistics(units: K, rows: used) { id, u in Double(sums[id * K + u]) / Double(seen[id]) }
        var vectors = [Float](repeating: 0, count: n * K)
        for id in used {
            for u in 0..<K {
                let mean = Float(Double(sums[id * K + u]) / Double(seen[id]))
                vectors[id * K + u] = Float(Double(mean) - stats.mean[u]) * stats.inverseDeviation[u]
            }
        }
        units = K
        self.vectors = vectors
        inverseDeviation = stats.inverseDeviation
        self.weights = weights
    }
}
