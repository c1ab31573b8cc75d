/// Each vocabulary word's strongest context synapses: what the word adds, as a context word, at
/// order 1 of a sparse usage profile (docs/ALGORITHM.md §9). Small (m units a word), so a model
/// read for a profile keeps these instead of its K × 2·N_voc synapses.
struct StrongestContext: Sendable {
    /// Units a word keeps (m).
    let width: Int
    /// Per vocabulary id, `width` units in ascending order.
    private(set) var units: [UInt16]
    /// Their true weights.
    private(set) var values: [Float]

    /// Nothing yet for `words` words; fill with `take(rows:first:count:stride:threads:)`.
    init(words: Int, width: Int) {
        self.width = width
        units = [UInt16](repeating: 0, count: words * width)
        values = [Float](repeating: 0, count: words * width)
    }

    /// Of loaded synapses, for context rows 0..<`words`.
    init(synapses syn: Synapses, words: Int, width: Int, threads: Int) {
        self.init(words: words, width: width)
        let K = syn.units, block = 256
        var rows = [Float](repeating: 0, count: block * K)
        for first in stride(from: 0, to: words, by: block) {
            let count = min(block, words - first)
            rows.withUnsafeMutableBufferPointer { block in
                syn.forEachRow(first..<(first + count)) { i, row in
                    (block.baseAddress! + (i - first) * K).update(from: row.baseAddress!, count: K)
                }
            }
            rows.withUnsafeBufferPointer { take(rows: $0.baseAddress!, first: first, count: count, units: K, threads: threads) }
        }
    }

    /// Takes the context rows of words `first..<first + count` (true weights, K `units` floats a
    /// row, one after another), on `threads` threads; ties go to the lower unit.
    mutating func take(rows: UnsafePointer<Float>, first: Int, count: Int, units K: Int, threads: Int) {
        let m = width
        nonisolated(unsafe) let rows = rows
        let tops = concurrentMap(count, threads: threads) { r in topK(UnsafeBufferPointer(start: rows + r * K, count: K), m) }
        for (r, top) in tops.enumerated() {
            for (j, u) in top.enumerated() {
                units[(first + r) * m + j] = UInt16(u)
                values[(first + r) * m + j] = rows[r * K + u]
            }
        }
    }
}
