/// An interning table from token bytes to dense ids, built for the corpus hot loop.
///
/// Open addressing with linear probing over a power-of-two slot array; token bytes live in one
/// arena. Swift's `Dictionary<String, Int>` costs a `String` per token, several times slower here.
struct TokenTable {
    private(set) var arena: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 1 << 16)
        mask = (1 << 16) - 1
        arena.reserveCapacity(1 << 20)
    }

    var count: Int { starts.count }

    func word(_ id: Int) -> String {
        arena.withUnsafeBufferPointer { a in
            String(decoding: UnsafeBufferPointer(rebasing: a[starts[id]..<starts[id] + Int(lengths[id])]), as: UTF8.self)
        }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        // FNV-1a over 8-byte words, then a final avalanche (from splitmix64).
        var h: UInt64 = 0xcbf29ce484222325 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100000001b3
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x100000001b3
        h = (h ^ (h >> 30)) &* 0xbf58476d1ce4e5b9
        h = (h ^ (h >> 27)) &* 0x94d049bb133111eb
        return h ^ (h >> 31)
    }

    /// The id of `bytes`, or nil.
    func find(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let h = Self.hash(bytes)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s])
            if e < 0 { return nil }
            if hashes[e] == h && equal(e, bytes) { return e }
            s = (s + 1) & mask
        }
    }

    /// The id of `bytes`, adding it if new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int {
        let h = Self.hash(bytes)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s])
            if e < 0 { break }
            if hashes[e] == h && equal(e, bytes) { return e }
            s = (s + 1) & mask
        }
        let id = starts.count
        starts.append(arena.count)
        lengths.append(Int32(bytes.count))
        hashes.append(h)
        arena.append(contentsOf: bytes)
        slots[s] = Int32(id)
        if starts.count * 2 > slots.count { grow() }
        return id
    }

    @inline(__always)
    private func equal(_ e: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard Int(lengths[e]) == bytes.count else { return false }
        return arena.withUnsafeBytes { a in
            memcmpBytes(a.baseAddress! + starts[e], bytes.baseAddress, bytes.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (e, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(e)
        }
    }
}

@inline(__always)
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ n: Int) -> Bool {
    guard let b else { return n == 0 }
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
