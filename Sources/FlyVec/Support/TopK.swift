/// The indices of the `k` largest values, ties broken by the lower index; ascending order.
func topK(_ values: UnsafeBufferPointer<Float>, _ k: Int) -> [Int] {
    let k = min(k, values.count)
    // A min-heap of the best k by (value, then lower index is better).
    var heap: [Int] = []
    heap.reserveCapacity(k)
    @inline(__always) func worse(_ a: Int, _ b: Int) -> Bool {  // a ranks below b
        values[a] != values[b] ? values[a] < values[b] : a > b
    }
    func siftDown(_ i: Int) {
        var i = i
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && worse(heap[l], heap[m]) { m = l }
            if r < heap.count && worse(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
    for i in 0..<values.count {
        if heap.count < k {
            heap.append(i)
            var c = heap.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                if worse(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break }
            }
        } else if k > 0 && worse(heap[0], i) {
            heap[0] = i
            siftDown(0)
        }
    }
    return heap.sorted()
}
