import Foundation

/// How each vocabulary word is used in a corpus, seen through the trained synapses, z-scored per
/// unit over the vocabulary. Words used in alike contexts get alike profiles, which is what
/// word-similarity benchmarks ask for; read out as `Readout.usage` (docs/RESULTS.md).
///
/// Order 1: per word, the mean over its occurrences of the context half of the synapses of the
/// words around it, each weighted by its count^−power. Order 2 reads the corpus again: per word,
/// the sum over its occurrences of the order-1 profiles of the words around it, weighted the same
/// way — a word is described by how its neighbours are used.
public struct UsageProfile: Sendable {
    /// The weight of a context word is its corpus count to the power −`defaultPower`.
    public static let defaultPower = 0.5
    /// Order 2 is better on en-mix (every seed, K 400 and K 4096) but worse on the two other
    /// corpora measured, so it is not the default (docs/RESULTS.md).
    public static let defaultOrder = 1

    public let units: Int
    /// 1 or 2.
    public let order: Int
    /// Per vocabulary id, `units` z-scored values.
    let vectors: [Float]
    /// Per unit, 1/σ of the raw profiles (for contextual codes).
    let inverseDeviation: [Float]
    /// Per vocabulary id, the weight of the word as a context word.
    let weights: [Float]
    /// What a context word adds (times its weight), per vocabulary id: its order-1 profile for
    /// order 2; empty for order 1, where it is the word's context half of the synapses.
    private let firstOrder: [Float]

    /// One pass over `corpus` (encoded with `model`'s vocabulary) per order.
    /// - Parameter window: the context around each occurrence, in words including the occurrence
    ///   (default: the model's training window); wider windows profile large-K models better.
    public init(model: Model, corpus: EncodedCorpus, power: Double = UsageProfile.defaultPower,
                window: Int? = nil, order: Int = UsageProfile.defaultOrder) throws {
        let window = window ?? model.options.window
        guard window >= 2 else { throw FlyVecError.invalid("the usage window must be at least 2 words (got \(window))") }
        guard order == 1 || order == 2 else { throw FlyVecError.invalid("the usage order must be 1 or 2 (got \(order))") }
        let K = model.options.hidden, n = model.vocabulary.count, syn = model.synapses
        let weights = model.vocabulary.counts.map { Float(_pow(Double(max($0, 1)), -power)) }
        let pass = ContextPass(corpus: corpus, window: window, weights: weights, units: K, words: n)
        // The context halves as true weights, K floats per word.
        var context = [Float](repeating: 0, count: n * K)
        for id in 0..<n { for u in 0..<K { context[id * K + u] = syn.weight(unit: u, input: id) } }
        let seen = pass.occurrences()
        var sums = pass.sums(of: context)
        context = []
        let used = (1..<n).filter { seen[$0] > 0 }
        var profile = Self.zScored(units: K, words: n, rows: used) { id, u in Double(sums[id * K + u]) / Double(seen[id]) }
        if order == 2 {
            // The sum, not the mean, over occurrences: frequent words then set each unit's scale
            // (the mean scored SimLex 0.34 where the sum scored 0.38, K 4096, seeds 1–3).
            sums = []
            let first = profile.vectors
            sums = pass.sums(of: first)
            profile = Self.zScored(units: K, words: n, rows: used) { id, u in Double(sums[id * K + u]) }
            firstOrder = first
        } else {
            firstOrder = []
        }
        units = K
        self.order = order
        vectors = profile.vectors
        inverseDeviation = profile.inverseDeviation
        self.weights = weights
    }

    /// Adds context word `id`'s contribution to one occurrence's vector, on the profiles' scale:
    /// weighted as in the profile, per unit divided by the profiles' deviation.
    func addContext(_ id: Int, synapses: Synapses, into v: inout [Float]) {
        let w = weights[id]
        if firstOrder.isEmpty {
            for u in 0..<units { v[u] += w * synapses.weight(unit: u, input: id) * inverseDeviation[u] }
        } else {
            for u in 0..<units { v[u] += w * firstOrder[id * units + u] * inverseDeviation[u] }
        }
    }

    /// Each unit of `value(row, unit)` z-scored over `rows`; other rows stay zero.
    private static func zScored(units K: Int, words n: Int, rows: [Int],
                                value: (Int, Int) -> Double) -> (vectors: [Float], inverseDeviation: [Float]) {
        let stats = UnitStatistics(units: K, rows: rows, value: value)
        var vectors = [Float](repeating: 0, count: n * K)
        for id in rows {
            for u in 0..<K { vectors[id * K + u] = Float(value(id, u) - stats.mean[u]) * stats.inverseDeviation[u] }
        }
        return (vectors, stats.inverseDeviation)
    }
}

/// One pass over a corpus that adds, for every occurrence of a word, the weighted vectors of the
/// words around it (inside its sentence) into that word's sum.
private struct ContextPass {
    let corpus: EncodedCorpus
    let window: Int
    let weights: [Float]
    let units: Int
    let words: Int

    /// Per word, its number of occurrences.
    func occurrences() -> [Int] {
        var seen = [Int](repeating: 0, count: words)
        for id in corpus.ids where id != 0 { seen[Int(id)] += 1 }
        return seen
    }

    /// Per word, the sum over its occurrences of the weighted vectors (K floats each) of the words
    /// around it.
    func sums(of vectors: [Float]) -> [Float] {
        let K = units
        let before = window / 2, after = window - 1 - before
        // Float sums: twice the SIMD width of Double and half the memory (1.3 GB at K 4096); the
        // codes depend only on the order of each word's values, which this precision keeps.
        var sums = [Float](repeating: 0, count: words * K)
        let ids = corpus.ids, ends = corpus.sentenceEnds, weights = weights
        // Each thread scans the whole corpus but adds only into the words of its own share of ids,
        // so every sum keeps one order whatever the thread count.
        let parts = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        sums.withUnsafeMutableBufferPointer { acc in
            vectors.withUnsafeBufferPointer { c in
                concurrently(parts) { part in
                    var start = 0
                    for s in 0..<ends.count {
                        let end = Int(ends[s])
                        for p in start..<end {
                            let id = Int(ids[p])
                            if id == 0 || id % parts != part { continue }
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
        return sums
    }
}
