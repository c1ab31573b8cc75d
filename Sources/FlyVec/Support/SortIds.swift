/// Sorts `ids` (each in 0..<`below`) in ascending order, for the co-occurrence counting's rows:
/// a byte at a time from the lowest, two passes of 256 counters for up to 65,536 words, instead of
/// a comparison sort's log2(n) rounds of unpredictable branches (a tenth of the counting pass on
/// en-mix). `scratch` is working memory, kept between calls. For the tests, which reach it
/// through `@_spi(Testing) import FlyVec`.
@_spi(Testing) public func sortIds(_ ids: inout [Int32], below: Int, scratch: inout [Int32]) {
    guard ids.count >= 64 else { ids.sort(); return }
    let bytes = max(1, (Int.bitWidth - (below - 1).leadingZeroBitCount + 7) / 8)
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: repeatElement(0, count: ids.count))
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
        for pass in 0..<bytes {
            let shift = Int32(8 * pass)
            counts.initialize(repeating: 0)
            ids.withUnsafeMutableBufferPointer { from in
                scratch.withUnsafeMutableBufferPointer { to in
                    for id in from { counts[Int(id >> shift & 255)] += 1 }
                    var at = 0
                    for d in 0..<256 { (counts[d], at) = (at, at + counts[d]) }
                    for id in from {
                        let d = Int(id >> shift & 255)
                        to[counts[d]] = id
                        counts[d] += 1
                    }
                }
            }
            swap(&ids, &scratch)
        }
    }
}
