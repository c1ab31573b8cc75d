import FlyVec
import FuzzSupport

/// Any payload, sealed in a valid envelope (its first byte is the format version, the rest is
/// compressed afresh, so zstd's checksum always passes): the code-file reader's own checks
/// answer, never a crash, and a code book that loads answers a query.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1, let packed = try? Zstd.compress(Array(UnsafeBufferPointer(start: data + 1, count: size - 1))) else { return 0 }
    let bytes = Array("FLYVECC\0".utf8) + [data[0], 0, 0, 0, 0, 0, 0, 0] + packed
    if let book = try? CodeFile.decode(bytes, file: "fuzz"), let first = book.words.first {
        _ = book.nearest(to: first, count: 3)
    }
    return 0
}

@_cdecl("fuzz_codepayload_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { test($0, $1) }
}
