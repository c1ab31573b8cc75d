#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable buffer of plain values without copy-on-write, freed with its one owner.
struct GrowableBuffer<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = malloc(capacity * MemoryLayout<Element>.stride)!.bindMemory(to: Element.self, capacity: capacity)
    }

    deinit { free(base) }

    @inline(__always)
    mutating func append(_ v: Element) {
        if count == capacity { reserve(count + 1) }
        base[count] = v
        count += 1
    }

    /// Appends a token's bytes 8 at a time: the source must be readable up to a multiple of 8
    /// bytes (the tokenizer's buffer is), and the copy may write up to 7 bytes past the end.
    @inline(__always)
    mutating func appendToken(_ raw: UnsafeRawBufferPointer) where Element == UInt8 {
        let n = raw.count
        if count + n + 8 > capacity { reserve(count + n + 8) }
        let to = UnsafeMutableRawPointer(base + count), from = raw.baseAddress!
        var i = 0
        while i < n {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        count += n
    }

    private mutating func reserve(_ needed: Int) {
        capacity = max(needed, capacity * 2)
        base = realloc(base, capacity * MemoryLayout<Element>.stride)!.bindMemory(to: Element.self, capacity: capacity)
    }
}
