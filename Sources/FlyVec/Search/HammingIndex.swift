import Dispatch

/// One search result: the position of a code in the index and its Hamming distance to the query.
public struct Neighbor: Sendable, Equatable {
    public let index: Int
    public let distance: Int
}

/// Exhaustive Hamming search over codes kept in one flat buffer.
///
/// The scan is a fixed-width popcount loop per code (unrolled for 400-bit and 512-bit codes) with
/// a bounded top-N kept sorted; ties go to the lower index, so answers are deterministic.
public struct HammingIndex: Sendable {
    public let bits: Int
    public let wordsPerCode: Int
    /// `count × wordsPerCode` words.
    public let storage: [UInt64]

    public init(bits: Int, storage: [UInt64]) {
        self.bits = bits
        wordsPerCode = (bits + 63) / 64
        precondition(storage.count % wordsPerCode == 0)
        self.storage = storage
    }

    public var count: Int { storage.count / wordsPerCode }

    /// The `n` nearest codes to `query` (by Hamming distance, then index), skipping `excluding`.
    public func nearest(to query: [UInt64], count n: Int, excluding: Int? = nil) -> [Neighbor] {
        precondition(query.count == wordsPerCode)
        guard n > 0 else { return [] }
        var top = TopN(capacity: n)
        let skip = excluding ?? -1
        storage.withUnsafeBufferPointer { codes in
            query.withUnsafeBufferPointer { q in
                switch wordsPerCode {
                case 7: scan7(codes, q, skip, &top)
                default: scanAny(codes, q, skip, &top)
                }
            }
        }
        return top.items
    }

    /// Many queries at once, spread over `threads` threads; results in query order.
    public func nearest(to queries: [[UInt64]], count n: Int, threads: Int) -> [[Neighbor]] {
        var results = [[Neighbor]](repeating: [], count: queries.count)
        results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            let T = max(1, min(threads, queries.count))
            DispatchQueue.concurrentPerform(iterations: T) { t in
                for q in stride(from: t, to: queries.count, by: T) { out[q] = nearest(to: queries[q], count: n) }
            }
        }
        return results
    }

    private func scan7(_ codes: UnsafeBufferPointer<UInt64>, _ q: UnsafeBufferPointer<UInt64>, _ skip: Int, _ top: inout TopN) {
        let (q0, q1, q2, q3, q4, q5, q6) = (q[0], q[1], q[2], q[3], q[4], q[5], q[6])
        var base = codes.baseAddress!
        for i in 0..<count {
            var d = (base[0] ^ q0).nonzeroBitCount + (base[1] ^ q1).nonzeroBitCount
            d += (base[2] ^ q2).nonzeroBitCount + (base[3] ^ q3).nonzeroBitCount
            d += (base[4] ^ q4).nonzeroBitCount + (base[5] ^ q5).nonzeroBitCount + (base[6] ^ q6).nonzeroBitCount
            base += 7
            if d < top.worst && i != skip { top.insert(i, d) }
        }
    }

    private func scanAny(_ codes: UnsafeBufferPointer<UInt64>, _ q: UnsafeBufferPointer<UInt64>, _ skip: Int, _ top: inout TopN) {
        let w = wordsPerCode
        for i in 0..<count {
            var d = 0
            let base = codes.baseAddress! + i * w
            for j in 0..<w { d += (base[j] ^ q[j]).nonzeroBitCount }
            if d < top.worst && i != skip { top.insert(i, d) }
        }
    }
}

/// The best `capacity` (index, distance) pairs seen, sorted; scanning in index order makes ties
/// go to the lower index because only a strictly smaller distance enters a full list.
struct TopN {
    let capacity: Int
    private(set) var items: [Neighbor] = []
    /// A candidate must be below this to enter.
    private(set) var worst = Int.max

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity + 1)
    }

    mutating func insert(_ index: Int, _ distance: Int) {
        var p = items.count
        while p > 0 && items[p - 1].distance > distance { p -= 1 }
        items.insert(Neighbor(index: index, distance: distance), at: p)
        if items.count > capacity { items.removeLast() }
        if items.count == capacity { worst = items[capacity - 1].distance }
    }
}
