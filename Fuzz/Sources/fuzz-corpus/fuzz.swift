import FlyVec
import FuzzSupport

/// Any bytes (plain or zstd): the tokenizer and reader produce tokens or a CorpusError, never a
/// crash; the strict reader too.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    struct Count: TokenSink {
        var n = 0
        mutating func token(_ b: UnsafeRawBufferPointer, hasDigit: Bool) { n += b.count }
        mutating func overlongToken() { n += 1 }
        mutating func endSentence() {}
    }
    for strict in [false, true] {
        var tok = Tokenizer(options: TokenizerOptions(strict: strict))
        var sink = Count()
        do {
            if Zstd.startsFrame(bytes) {
                _ = try Zstd.decompress(bytes, limit: 1 << 24)
            }
            try tok.feed(bytes, into: &sink)
            try tok.finish(into: &sink)
        } catch {}
    }
    return 0
}

@_cdecl("fuzz_corpus_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { test($0, $1) }
}
