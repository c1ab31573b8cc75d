#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable buffer of plain values without copy-on-write, freed with its one owner.
///
/// When memory runs out it keeps what it has, drops further appends and sets `failed`: its owner
/// turns that into an error instead of the process trapping.
struct GrowableBuffer<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int
    private(set) var failed = false

    init(capacity: Int) {
        if let p = malloc(capacity * MemoryLayout<Element>.stride) {
            base = p.bindMemory(to: Element.self, capacity: capacity)
            self.capacity = capacity
        } else {
            // Never read or written: the capacity is 0 and every append stops at `failed`.
            base = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
            self.capacity = 0
            failed = true
        }
    }

    deinit { if capacity > 0 { free(base) } }

    @inline(__always)
    mutating func append(_ v: Element) {
        if count == capacity && !reserve(count + 1) { return }
        base[count] = v
        count += 1
    }

    /// Appends a token's bytes 8 at a time: the source must be readable up to a multiple of 8
    /// bytes (the tokenizer's buffer is), and the copy may write up to 7 bytes past the end.
    @inline(__always)
    mutating func appendToken(_ raw: UnsafeRawBufferPointer) where Element == UInt8 {
        let n = raw.count
        if count + n + 8 > capacity && !reserve(count + n + 8) { return }
        let to = UnsafeMutableRawPointer(base + count), from = raw.baseAddress!
        var i = 0
        while i < n {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        count += n
    }

    /// Grows to at least `needed`; false (and `failed` set) when memory ran out.
    private mutating func reserve(_ needed: Int) -> Bool {
        if failed { return false }
        let grown = max(needed, capacity * 2)
        guard let p = realloc(capacity > 0 ? base : nil, grown * MemoryLayout<Element>.stride) else {
            failed = true
            return false
        }
        base = p.bindMemory(to: Element.self, capacity: grown)
        capacity = grown
        return true
    }
}
