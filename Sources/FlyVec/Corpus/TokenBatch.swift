#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tokens as the tokenizer found them, handed from the reading thread to the counting one.
///
/// Plain growable buffers rather than arrays: an array's append checks uniqueness through a call
/// into the runtime, a tenth of the reading thread's time at 7 million tokens.
final class TokenBatch: TokenSink {
    static let num: Int32 = -1, overlong: Int32 = -2, end: Int32 = -3
    /// Events after which the reading thread hands the batch over.
    static let target = 1 << 16

    /// A token's byte length, or one of the codes above.
    @exclusivity(unchecked) private(set) var events = GrowableBuffer<Int32>(capacity: target + 1024)
    /// The hash of each token with a byte length (not of `<NUM>` or overlong ones).
    @exclusivity(unchecked) private(set) var hashes = GrowableBuffer<UInt64>(capacity: target + 1024)
    /// Those tokens' bytes, back to back, readable 8 bytes past the last.
    @exclusivity(unchecked) private(set) var bytes = GrowableBuffer<UInt8>(capacity: 1 << 19)
    /// Plain bytes read when the batch was full.
    var offset = 0

    init() {}

    deinit {
        events.release()
        hashes.release()
        bytes.release()
    }

    func token(_ b: UnsafeRawBufferPointer, hasDigit: Bool) {
        if hasDigit { events.append(Self.num); return }
        events.append(Int32(b.count))
        hashes.append(TokenTable.hash(b, padded: true))
        bytes.appendToken(b)
    }
    func overlongToken() { events.append(Self.overlong) }
    func endSentence() { events.append(Self.end) }
}

/// A growable buffer of plain values without copy-on-write: its owner frees it.
struct GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = malloc(capacity * MemoryLayout<Element>.stride)!.bindMemory(to: Element.self, capacity: capacity)
    }

    func release() { free(base) }

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
