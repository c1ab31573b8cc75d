import CFlyVecSupport
import Dispatch

/// Exhaustive Hamming search over codes kept in one flat buffer.
///
/// The scan is a fixed-width popcount loop per code (unrolled for codes of 7 words, 385–448 bits) with
/// a bounded top-N kept sorted; ties go to the lower index, so answers are deterministic.
public struct HammingIndex: Sendable {
    /// Bits per code (K).
    public let bits: Int
    /// 64-bit words per code: ⌈bits/64⌉.
    public let wordsPerCode: Int
    /// `count × wordsPerCode` words.
    public let storage: [UInt64]
    /// For 385…448-bit codes, the same codes without padding, ⌈bits/8⌉ bytes each: a scan is
    /// memory-bound, and 400-bit codes take 50 bytes this way instead of 56.
    private let packed: [UInt8]
    private let packedStride: Int

    /// An index over `storage`, ⌈bits/64⌉ words per code; 385…448-bit codes are also copied
    /// unpadded for the fast scan.
    /// - Throws: ``FlyVecError`` `invalidParameter` for `bits` under 1, `mismatch` when the
    ///   storage is not a whole number of codes.
    public init(bits: Int, storage: [UInt64]) throws {
        guard bits >= 1 else { throw FlyVecError.parameter("bits", "must be at least 1 (got \(bits))") }
        guard storage.count % ((bits + 63) / 64) == 0 else {
            throw FlyVecError(.mismatch, "\(storage.count) words are not a whole number of \(bits)-bit codes")
        }
        self.bits = bits
        wordsPerCode = (bits + 63) / 64
        self.storage = storage
        let rowBytes = (bits + 7) / 8
        packedStride = rowBytes
        if wordsPerCode == 7 {
            var p = [UInt8](repeating: 0, count: storage.count / 7 * rowBytes + 8)
            storage.withUnsafeBytes { words in
                for i in 0..<(words.count / 56) {
                    for b in 0..<rowBytes { p[i * rowBytes + b] = words[i * 56 + b] }
                }
            }
            packed = p
        } else {
            packed = []
        }
    }

    /// Number of codes.
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

    /// Many queries at once, spread over `threads` threads; results in query order. For 400-bit
    /// codes each thread walks the codes once, a cache-sized block at a time, answering all its
    /// queries per block, so the codes come from cache rather than memory.
    public func nearest(to queries: [[UInt64]], count n: Int, threads: Int) -> [[Neighbor]] {
        var results = [[Neighbor]](repeating: [], count: queries.count)
        guard n > 0 else { return results }
        results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            let T = max(1, min(threads, queries.count))
            DispatchQueue.concurrentPerform(iterations: T) { t in
                let mine = Array(stride(from: t, to: queries.count, by: T))
                if wordsPerCode != 7 {
                    for q in mine { out[q] = nearest(to: queries[q], count: n) }
                    return
                }
                var tops = mine.map { _ in TopN(capacity: n) }
                let block = 2048
                withUnsafeTemporaryAllocation(of: UInt16.self, capacity: block) { d in
                    packed.withUnsafeBufferPointer { p in
                        var lo = 0
                        while lo < count {
                            let size = min(block, count - lo)
                            for (j, q) in mine.enumerated() {
                                queries[q].withUnsafeBufferPointer { qp in
                                    flyvec_hamming7(p.baseAddress! + lo * packedStride, packedStride, size, qp.baseAddress!, d.baseAddress!)
                                }
                                for i in 0..<size where Int(d[i]) < tops[j].worst { tops[j].insert(lo + i, Int(d[i])) }
                            }
                            lo += size
                        }
                    }
                }
                for (j, q) in mine.enumerated() { out[q] = tops[j].items }
            }
        }
        return results
    }

    /// 400-bit codes (7 words): distances a block at a time from the C kernel, which uses POPCNT
    /// where the CPU has it, then the top-N check in Swift.
    private func scan7(_ codes: UnsafeBufferPointer<UInt64>, _ q: UnsafeBufferPointer<UInt64>, _ skip: Int, _ top: inout TopN) {
        let block = 1024
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: block) { d in
            var lo = 0
            while lo < count {
                let n = min(block, count - lo)
                packed.withUnsafeBufferPointer { p in
                    flyvec_hamming7(p.baseAddress! + lo * packedStride, packedStride, n, q.baseAddress!, d.baseAddress!)
                }
                for j in 0..<n where Int(d[j]) < top.worst && lo + j != skip { top.insert(lo + j, Int(d[j])) }
                lo += n
            }
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
