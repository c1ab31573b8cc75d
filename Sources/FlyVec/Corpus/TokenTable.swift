import CFlyVecSupport

/// An interning and counting table from token bytes to dense ids, built for the corpus hot loop.
///
/// Open addressing with linear probing over a power-of-two array of 32-byte slots. A slot holds
/// the token's first 8 bytes, its length, 24 bits of its hash, its id and its counts, so a token
/// of up to 8 bytes (most English words) is found and counted touching one cache line; longer
/// tokens also compare their remaining bytes in the arena. Swift's `Dictionary<String, Int>` costs
/// a `String` per token and several cache misses, several times slower here.
final class TokenTable {
    struct Slot {
        var head: UInt64 = 0
        /// 0 when empty, else hash bits 40...63, the length in bits 32...39 and id + 1 below.
        var meta: UInt64 = 0
        var count: UInt32 = 0
        var sentences: UInt32 = 0
        /// The last sentence (index + 1) the token was counted in, so `sentences` counts each once.
        var lastSentence: UInt32 = 0
        /// The hash's low 32 bits, which place the slot, so growing does not hash again.
        var hashLow: UInt32 = 0
    }

    // Exclusivity is checked statically: the table is never shared, and dynamic checks cost a tenth
    // of the reading time.
    @exclusivity(unchecked) private(set) var arena: [UInt8] = []
    /// Per id: where its bytes start in the arena.
    @exclusivity(unchecked) private var starts: [Int] = []
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Slot>
    @exclusivity(unchecked) private var capacity: Int

    init() {
        capacity = 1 << 16
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        arena.reserveCapacity(1 << 20)
    }

    deinit { slots.deallocate() }

    var count: Int { starts.count }

    func word(_ id: Int) -> String {
        let end = id + 1 < starts.count ? starts[id + 1] : arena.count
        return arena.withUnsafeBufferPointer { a in
            String(decoding: UnsafeBufferPointer(rebasing: a[starts[id]..<end]), as: UTF8.self)
        }
    }

    /// The hash of a token. `padded`: the bytes are readable up to the next multiple of 8, which
    /// spares a byte loop (the result is the same).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, padded: Bool = false) -> UInt64 {
        // FNV-1a over 8-byte words, then a final avalanche (from splitmix64).
        var h: UInt64 = 0xcbf29ce484222325 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100000001b3
            h ^= h >> 29
            i += 8
        }
        h = (h ^ tail(bytes, from: i, padded: padded)) &* 0x100000001b3
        h = (h ^ (h >> 30)) &* 0xbf58476d1ce4e5b9
        h = (h ^ (h >> 27)) &* 0x94d049bb133111eb
        return h ^ (h >> 31)
    }

    /// Bytes `from..<min(from + 8, count)` as a little-endian word, zero-padded.
    @inline(__always)
    private static func tail(_ bytes: UnsafeRawBufferPointer, from: Int, padded: Bool = false) -> UInt64 {
        let left = bytes.count - from
        if left >= 8 { return bytes.loadUnaligned(fromByteOffset: from, as: UInt64.self) }
        if left <= 0 { return 0 }
        if padded {
            let word = bytes.baseAddress!.loadUnaligned(fromByteOffset: from, as: UInt64.self)
            return word & (UInt64.max >> (64 - 8 * UInt64(left)))
        }
        var v: UInt64 = 0, shift: UInt64 = 0
        for i in from..<bytes.count {
            v |= UInt64(bytes[i]) << shift
            shift += 8
        }
        return v
    }

    @inline(__always)
    private static func key(_ h: UInt64, length: Int) -> UInt64 { h & 0xFFFF_FF00_0000_0000 | UInt64(length) << 32 }

    /// Starts loading the slot where a token with hash `h` is looked up first.
    @inline(__always)
    func prefetch(hash h: UInt64) { flyvec_prefetch(slots + (Int(truncatingIfNeeded: h) & (capacity - 1))) }

    /// The slot holding `bytes` (hash `h`), or the empty slot where it belongs.
    @inline(__always)
    private func probe(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, padded: Bool = false) -> Int {
        let want = Self.key(h, length: bytes.count)
        let head = Self.tail(bytes, from: 0, padded: padded)
        let mask = capacity - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let meta = slots[s].meta
            if meta == 0 { return s }
            if meta & 0xFFFF_FFFF_0000_0000 == want && slots[s].head == head
                && (bytes.count <= 8 || restEqual(Int(meta & 0xFFFF_FFFF) - 1, bytes)) {
                return s
            }
            s = (s + 1) & mask
        }
    }

    /// The id of `word`, or nil if it was never seen.
    func find(_ word: String) -> Int? {
        var w = word
        return w.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            let meta = slots[probe(bytes, hash: Self.hash(bytes))].meta
            return meta == 0 ? nil : Int(meta & 0xFFFF_FFFF) - 1
        }
    }

    /// Counts one occurrence of `bytes` (whose `hash` the caller computed) in `sentence`, adding
    /// the token if new, and returns its id. `padded` as for `hash`.
    @inline(__always)
    func add(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, sentence: Int, padded: Bool = false) -> Int {
        let s = probe(bytes, hash: h, padded: padded)
        let stamp = UInt32(truncatingIfNeeded: sentence + 1)
        if slots[s].meta != 0 {
            slots[s].count &+= 1
            if slots[s].lastSentence != stamp {
                slots[s].lastSentence = stamp
                slots[s].sentences &+= 1
            }
            return Int(slots[s].meta & 0xFFFF_FFFF) - 1
        }
        let id = starts.count
        starts.append(arena.count)
        arena.append(contentsOf: bytes)
        slots[s] = Slot(head: Self.tail(bytes, from: 0, padded: padded), meta: Self.key(h, length: bytes.count) | UInt64(id + 1),
                        count: 1, sentences: 1, lastSentence: stamp, hashLow: UInt32(truncatingIfNeeded: h))
        if starts.count * 2 > capacity { grow() }
        return id
    }

    /// Adds `count` occurrences in `sentences` sentences of `bytes` (another table's type, when
    /// tables counted in parts of a corpus are merged).
    func merge(_ bytes: UnsafeRawBufferPointer, count: Int, sentences: Int) {
        let h = Self.hash(bytes)
        let s = probe(bytes, hash: h)
        if slots[s].meta == 0 {
            let id = starts.count
            starts.append(arena.count)
            arena.append(contentsOf: bytes)
            slots[s] = Slot(head: Self.tail(bytes, from: 0), meta: Self.key(h, length: bytes.count) | UInt64(id + 1),
                            count: 0, sentences: 0, lastSentence: 0, hashLow: UInt32(truncatingIfNeeded: h))
            if starts.count * 2 > capacity { grow() }
            return merge(bytes, count: count, sentences: sentences)
        }
        slots[s].count &+= UInt32(count)
        slots[s].sentences &+= UInt32(sentences)
    }

    /// The bytes of type `id`.
    func bytes(_ id: Int) -> ArraySlice<UInt8> {
        arena[starts[id]..<(id + 1 < starts.count ? starts[id + 1] : arena.count)]
    }

    /// Per id, how many times the token occurred and in how many sentences.
    func counts() -> [(count: Int, sentences: Int)] {
        var result = [(count: Int, sentences: Int)](repeating: (0, 0), count: count)
        for s in 0..<capacity where slots[s].meta != 0 {
            result[Int(slots[s].meta & 0xFFFF_FFFF) - 1] = (Int(slots[s].count), Int(slots[s].sentences))
        }
        return result
    }

    @inline(__always)
    private func restEqual(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        arena.withUnsafeBytes { a in
            memcmpBytes(a.baseAddress! + starts[id] + 8, bytes.baseAddress! + 8, bytes.count - 8)
        }
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        let mask = capacity - 1
        for o in 0..<oldCapacity where old[o].meta != 0 {
            var s = Int(old[o].hashLow) & mask
            while slots[s].meta != 0 { s = (s + 1) & mask }
            slots[s] = old[o]
        }
        old.deallocate()
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
