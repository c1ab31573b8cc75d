/// An interning table from token bytes to dense ids, built for the corpus hot loop.
///
/// Open addressing with linear probing over a power-of-two slot array; token bytes live in one
/// arena. Swift's `Dictionary<String, Int>` costs a `String` per token, several times slower here.
struct TokenTable {
    private(set) var arena: [UInt8] = []
    /// Per id: where its bytes start in the arena, and how many.
    private var spans: [(start: Int, length: Int)] = []
    /// Per slot: 0 when empty, else the hash's top 32 bits and id + 1, so most mismatches are
    /// rejected without touching the entry.
    private var slots: [UInt64]
    private var mask: Int

    init() {
        slots = [UInt64](repeating: 0, count: 1 << 16)
        mask = (1 << 16) - 1
        arena.reserveCapacity(1 << 20)
    }

    var count: Int { spans.count }

    func word(_ id: Int) -> String {
        arena.withUnsafeBufferPointer { a in
            String(decoding: UnsafeBufferPointer(rebasing: a[spans[id].start..<spans[id].start + spans[id].length]), as: UTF8.self)
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

    /// The id of `word`, or nil if it was never seen.
    func find(_ word: String) -> Int? {
        var w = word
        return w.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            let h = Self.hash(bytes)
            let tag = h & 0xFFFF_FFFF_0000_0000
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = slots[s]
                if e == 0 { return nil }
                if e & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(e & 0xFFFF_FFFF) - 1
                    if equal(id, bytes) { return id }
                }
                s = (s + 1) & mask
            }
        }
    }

    /// The id of `bytes`, whose `hash` the caller computed, adding it if new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int {
        let tag = h & 0xFFFF_FFFF_0000_0000
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e == 0 { break }
            if e & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(e & 0xFFFF_FFFF) - 1
                if equal(id, bytes) { return id }
            }
            s = (s + 1) & mask
        }
        let id = spans.count
        spans.append((arena.count, bytes.count))
        arena.append(contentsOf: bytes)
        slots[s] = tag | UInt64(id + 1)
        if spans.count * 2 > slots.count { grow() }
        return id
    }

    @inline(__always)
    private func equal(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let span = spans[id]
        guard span.length == bytes.count else { return false }
        return arena.withUnsafeBytes { a in memcmpBytes(a.baseAddress! + span.start, bytes.baseAddress, bytes.count) }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let m = size - 1
        arena.withUnsafeBytes { a in
            for (id, span) in spans.enumerated() {
                let h = Self.hash(UnsafeRawBufferPointer(rebasing: a[span.start..<span.start + span.length]))
                var s = Int(truncatingIfNeeded: h) & m
                while fresh[s] != 0 { s = (s + 1) & m }
                fresh[s] = h & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1)
            }
        }
        slots = fresh
        mask = m
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
