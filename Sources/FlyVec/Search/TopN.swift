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
