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
    /// Whether a buffer could not grow (memory ran out): the batch is incomplete and must not be used.
    var failed: Bool { events.failed || hashes.failed || bytes.failed }
    /// Plain bytes read when the batch was full.
    var offset = 0

    init() {}

    func token(_ b: UnsafeRawBufferPointer, hasDigit: Bool) {
        if hasDigit { events.append(Self.num); return }
        events.append(Int32(b.count))
        hashes.append(TokenTable.hash(b, padded: true))
        bytes.appendToken(b)
    }
    func overlongToken() { events.append(Self.overlong) }
    func endSentence() { events.append(Self.end) }
}
