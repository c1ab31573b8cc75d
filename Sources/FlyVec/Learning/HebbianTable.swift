import CFlyVecSupport

/// The Hebbian sums of one batch for the rows one thread owns: (input row, unit) → Σ f.
///
/// Open addressing over a power-of-two array of (key, sum) slots, growing when half full; only the
/// slots used are cleared afterwards. Sums are kept in first-touch order, whatever the capacity.
struct HebbianTable: ~Copyable {
    struct Slot {
        var key: UInt64
        var value: Float
    }

    static let empty = UInt64.max
    private(set) var capacity: Int
    private var mask: Int
    private var slots: UnsafeMutablePointer<Slot>
    /// Slots in insertion order (the order the sums were first touched).
    private var used: UnsafeMutablePointer<Int32>
    private(set) var count = 0

    /// A table with room for `entries` sums before it first grows.
    init(entries: Int) {
        var c = 16
        while c < 2 * entries { c <<= 1 }
        capacity = c
        mask = c - 1
        slots = .allocate(capacity: c)
        slots.initialize(repeating: Slot(key: Self.empty, value: 0), count: c)
        used = .allocate(capacity: c / 2 + 1)
    }

    deinit {
        slots.deallocate()
        used.deallocate()
    }

    @inline(__always)
    static func key(row: Int, unit: Int) -> UInt64 { UInt64(row) << 20 | UInt64(unit) }

    /// The `j`-th sum first touched: its key and value.
    @inline(__always)
    func entry(_ j: Int) -> Slot { slots[Int(used[j])] }

    /// Starts loading the slot where `key` is looked up first.
    @inline(__always)
    func prefetch(_ key: UInt64) { flyvec_prefetch(slots + slot(of: key)) }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        var h = key &* 0x9E3779B97F4A7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h) & mask
    }

    @inline(__always)
    mutating func add(_ key: UInt64, _ value: Float) {
        if (count + 1) * 2 > capacity { grow() }
        var s = slot(of: key)
        while true {
            let k = slots[s].key
            if k == key { slots[s].value += value; return }
            if k == Self.empty {
                slots[s] = Slot(key: key, value: value)
                used[count] = Int32(s)
                count += 1
                return
            }
            s = (s + 1) & mask
        }
    }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        var s = slot(of: key)
        while true {
            let k = slots[s].key
            if k == key { return true }
            if k == Self.empty { return false }
            s = (s + 1) & mask
        }
    }

    /// Doubles the capacity, keeping the first-touch order.
    private mutating func grow() {
        let old = slots, oldUsed = used, n = count
        capacity *= 2
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(key: Self.empty, value: 0), count: capacity)
        used = .allocate(capacity: capacity / 2 + 1)
        for j in 0..<n {
            let e = old[Int(oldUsed[j])]
            var s = slot(of: e.key)
            while slots[s].key != Self.empty { s = (s + 1) & mask }
            slots[s] = e
            used[j] = Int32(s)
        }
        old.deallocate()
        oldUsed.deallocate()
    }

    mutating func clear() {
        for j in 0..<count { slots[Int(used[j])] = Slot(key: Self.empty, value: 0) }
        count = 0
    }
}
