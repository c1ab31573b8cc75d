import CFlyVecSupport

/// The Hebbian sums of one batch for the rows one thread owns: (input row, unit) → Σ f.
///
/// Open addressing over a power-of-two slot array; only the slots used are cleared afterwards.
struct HebbianTable {
    static let empty = UInt64.max
    let capacity: Int
    let mask: Int
    let keys: UnsafeMutablePointer<UInt64>
    let values: UnsafeMutablePointer<Float>
    /// Slots in insertion order (the order the sums were first touched).
    let used: UnsafeMutablePointer<Int32>
    var count = 0

    init(entries: Int) {
        var c = 1024
        while c < 2 * entries { c <<= 1 }
        capacity = c
        mask = c - 1
        keys = .allocate(capacity: c)
        keys.initialize(repeating: Self.empty, count: c)
        values = .allocate(capacity: c)
        values.initialize(repeating: 0, count: c)
        used = .allocate(capacity: c / 2 + 1)
    }

    func deallocate() {
        keys.deallocate()
        values.deallocate()
        used.deallocate()
    }

    @inline(__always)
    static func key(row: Int, unit: Int) -> UInt64 { UInt64(row) << 20 | UInt64(unit) }

    /// Starts loading the slot where `key` is looked up first.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let s = slot(of: key)
        flyvec_prefetch(keys + s)
        flyvec_prefetch(values + s)
    }

    /// The key of the `j`-th slot filled.
    @inline(__always)
    func key(inserted j: Int) -> UInt64 { keys[Int(used[j])] }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        var h = key &* 0x9E3779B97F4A7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h) & mask
    }

    @inline(__always)
    mutating func add(_ key: UInt64, _ value: Float) {
        var s = slot(of: key)
        while true {
            let k = keys[s]
            if k == key { values[s] += value; return }
            if k == Self.empty {
                keys[s] = key
                values[s] = value
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
            let k = keys[s]
            if k == key { return true }
            if k == Self.empty { return false }
            s = (s + 1) & mask
        }
    }

    mutating func clear() {
        for j in 0..<count {
            let s = Int(used[j])
            keys[s] = Self.empty
            values[s] = 0
        }
        count = 0
    }
}
