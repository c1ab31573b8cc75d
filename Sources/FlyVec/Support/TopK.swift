import CFlyVecSupport

/// The indices of the `k` largest values, ties broken by the lower index; ascending order.
///
/// Every code is made by this (a profile calls it twice per word): a heap of the best k so far,
/// offered, where the CPU allows, only the values a bound from block maxima lets through
/// (`flyvec_top_k`; its tests hold both paths to a full sort).
func topK(_ values: UnsafeBufferPointer<Float>, _ k: Int) -> [Int] {
    let k = min(max(k, 0), values.count)
    guard k > 0, let base = values.baseAddress else { return [] }
    return withUnsafeTemporaryAllocation(of: Int64.self, capacity: k) { out in
        let found = flyvec_top_k(base, values.count, k, out.baseAddress!, 1)
        return out.prefix(found).map { Int($0) }
    }
}
