import CFlyVecSupport

/// Exact Hamming search over codes that all have the same number k of bits set, through one posting
/// list per bit: the codes that have it.
///
/// For two codes of k bits each the Hamming distance is 2·(k − shared bits), so the nearest codes
/// are those sharing the most bits with the query, and only codes on the query's k lists need
/// counting: about k²/K of every code for codes spread over the K bits, against every byte of every
/// code for a scan. Answers, ties included, are `HammingIndex`'s (distance, then lower position).
///
/// A list stores each code's position as 16 bits, its low half; where each 65,536 positions start
/// in the list is kept per bit, so a posting takes 2 bytes and a code 2·k.
public struct PostingIndex: Sendable {
    /// Bits per code (K).
    public let bits: Int
    /// Bits set in every code.
    public let k: Int
    /// Number of codes.
    public let count: Int
    /// All lists, bit 0's first: the low 16 bits of each code position, ascending.
    private let postings: [UInt16]
    /// Per bit b and block j (positions j·65,536 …), where that block starts in `postings`:
    /// `blockStart[b * (blocks + 1) + j]`; the last entry of bit b is where bit b + 1 starts.
    private let blockStart: [Int]
    private let blocks: Int

    /// An index over codes given as the positions of their set bits, `k` per code, the codes in
    /// position order, each code's positions ascending and below `bits` (at most 65,536).
    /// - Throws: ``FlyVecError`` `invalidParameter` for `bits` under 1 or `k` outside 1…min(bits,
    ///   255), `mismatch` for a code that breaks those rules.
    public init(bits: Int, k: Int, active: [UInt16]) throws {
        guard bits >= 1 && bits <= 1 << 16 else { throw FlyVecError.parameter("bits", "must be between 1 and 65,536 (got \(bits))") }
        guard k >= 1 && k <= bits else { throw FlyVecError.parameter("k", "must be between 1 and \(bits) (got \(k))") }
        guard k <= 255 else { throw FlyVecError.parameter("k", "must be at most 255 for a posting index (got \(k))") }
        guard active.count % k == 0 else { throw FlyVecError(.mismatch, "\(active.count) positions are not a whole number of \(k)-bit codes") }
        let count = active.count / k, blocks = max(1, (count + 0xFFFF) >> 16)
        // Postings per bit and block, bit-major: their prefix sums are the block starts.
        var starts = [Int](repeating: 0, count: bits * (blocks + 1))
        for i in 0..<count {
            var last = -1
            for p in (i * k)..<(i * k + k) {
                let b = Int(active[p])
                guard b > last && b < bits else {
                    throw FlyVecError(.mismatch, "code \(i) is not \(k) ascending positions below \(bits)")
                }
                last = b
                starts[b * (blocks + 1) + (i >> 16) + 1] += 1
            }
        }
        var total = 0
        for b in 0..<bits {
            starts[b * (blocks + 1)] = total
            for j in 1...blocks { total += starts[b * (blocks + 1) + j]; starts[b * (blocks + 1) + j] = total }
        }
        self.bits = bits
        self.k = k
        self.blocks = blocks
        self.count = count
        // Each bit's list fills in position order, so every block lands where its start says.
        var fill = (0..<bits).map { starts[$0 * (blocks + 1)] }
        var postings = [UInt16](repeating: 0, count: total)
        for p in active.indices {
            let b = Int(active[p])
            postings[fill[b]] = UInt16(truncatingIfNeeded: p / k)
            fill[b] += 1
        }
        self.postings = postings
        blockStart = starts
    }

    /// An index over the codes of `index`, which must each have exactly `k` bits set.
    public init(_ index: HammingIndex, k: Int) throws {
        var active: [UInt16] = []
        active.reserveCapacity(index.count * k)
        let w = index.wordsPerCode
        for i in 0..<index.count {
            for j in 0..<w {
                var rest = index.storage[i * w + j]
                while rest != 0 {
                    active.append(UInt16(j * 64 + rest.trailingZeroBitCount))
                    rest &= rest - 1
                }
            }
            guard active.count == (i + 1) * k else { throw FlyVecError(.mismatch, "code \(i) does not have \(k) bits set") }
        }
        try self.init(bits: index.bits, k: k, active: active)
    }

    /// Postings a search for `query` (its set positions) walks: the lengths of its lists.
    public func postings(of query: [Int]) -> Int {
        query.reduce(0) { $0 + blockStart[$1 * (blocks + 1) + blocks] - blockStart[$1 * (blocks + 1)] }
    }

    /// Many queries at once, spread over `threads` threads; results in query order, each as
    /// `nearest(to:count:)` gives it.
    public func nearest(to queries: [[Int]], count n: Int, threads: Int) -> [[Neighbor]] {
        concurrentMap(queries.count, threads: threads) { nearest(to: queries[$0], count: n) }
    }

    /// Bytes the lists and their block starts take.
    public var memoryBytes: Int { postings.count * 2 + blockStart.count * 8 }

    /// The `n` codes nearest to `query` (its set positions, `k` of them, ascending) by Hamming
    /// distance, then position; `excluding` is left out.
    public func nearest(to query: [Int], count n: Int, excluding: Int? = nil) -> [Neighbor] {
        precondition(query.count == k, "a query of \(query.count) bits for codes of \(k)")
        guard n > 0, count > 0 else { return [] }
        var shared = [UInt8](repeating: 0, count: count)
        let skip = excluding ?? -1
        var best: [(position: Int, shared: Int)] = []
        shared.withUnsafeMutableBufferPointer { shared in
            let counts = shared.baseAddress!
            postings.withUnsafeBufferPointer { postings in
                for b in query {
                    let row = b * (blocks + 1)
                    for j in 0..<blocks {
                        let from = blockStart[row + j]
                        flyvec_count_postings(counts, postings.baseAddress! + from, blockStart[row + j + 1] - from, j << 16)
                    }
                }
            }
            if skip >= 0 && skip < count { shared[skip] = 0 }
            // The most shared bits t that at least n codes reach (1 if fewer codes share any): every
            // code above t is in, and of those at t the lowest positions.
            var reaching = [UInt32](repeating: 0, count: 256)
            flyvec_byte_histogram(counts, count, &reaching)
            var threshold = k, above = 0
            while threshold > 1 && above + Int(reaching[threshold]) < n { above += Int(reaching[threshold]); threshold -= 1 }
            let atThreshold = min(n - above, Int(reaching[threshold]))
            var positions = [UInt32](repeating: 0, count: max(above, atThreshold, 1))
            let taken = threshold < k ? flyvec_positions_at_least(counts, count, UInt8(threshold + 1), 0, &positions, above) : 0
            best = positions.prefix(taken).map { (Int($0), Int(shared[Int($0)])) }
            let tied = flyvec_positions_at_least(counts, count, UInt8(threshold), 1, &positions, atThreshold)
            best += positions.prefix(tied).map { (Int($0), threshold) }
        }
        best.sort { $0.shared != $1.shared ? $0.shared > $1.shared : $0.position < $1.position }
        var result = best.prefix(n).map { Neighbor(index: $0.position, distance: 2 * (k - $0.shared)) }
        // Too few codes share a bit: the rest are the lowest positions sharing none.
        var i = 0
        while result.count < n && i < count {
            if shared[i] == 0 && i != skip { result.append(Neighbor(index: i, distance: 2 * k)) }
            i += 1
        }
        return result
    }
}
