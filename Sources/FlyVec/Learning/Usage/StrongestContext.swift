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
        store(Self.strongest(rows: rows, count: count, units: K, width: width, threads: threads), first: first)
    }

    /// The `width` strongest units of each of `count` rows of K `units` floats, and their values,
    /// row after row; ties go to the lower unit.
    static func strongest(rows: UnsafePointer<Float>, count: Int, units K: Int, width m: Int, threads: Int) -> Taken {
        nonisolated(unsafe) let rows = rows
        let tops = concurrentMap(count, threads: threads) { r in topK(UnsafeBufferPointer(start: rows + r * K, count: K), m) }
        var taken = Taken(units: [UInt16](repeating: 0, count: count * m), values: [Float](repeating: 0, count: count * m))
        for (r, top) in tops.enumerated() {
            for (j, u) in top.enumerated() {
                taken.units[r * m + j] = UInt16(u)
                taken.values[r * m + j] = rows[r * K + u]
            }
        }
        return taken
    }

    /// Some rows' strongest units and values, `width` a row.
    struct Taken: Sendable {
        var units: [UInt16]
        var values: [Float]
    }

    /// Keeps `taken`'s rows as those of words `first`, `first + 1`, ….
    mutating func store(_ taken: Taken, first: Int) {
        for (j, u) in taken.units.enumerated() {
            units[first * width + j] = u
            values[first * width + j] = taken.values[j]
        }
    }
}
