import FlyVec
import FuzzSupport

/// Any payload, sealed in a valid document-index envelope (its first byte is the format version,
/// the rest is compressed afresh, so zstd's checksum always passes): the index reader's own checks
/// answer, never a crash, and an index that loads answers a search for its first document.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1, let packed = try? Zstd.compress(Array(UnsafeBufferPointer(start: data + 1, count: size - 1))) else { return 0 }
    let bytes = Array("FLYVECI\0".utf8) + [data[0], 0, 0, 0, 0, 0, 0, 0] + packed
    if let index = try? IndexFile.decode(bytes, file: "fuzz"), index.count > 0 {
        _ = try? index.nearest(to: BinaryCode(bits: index.settings.bits, active: index.activeBits(0)), count: 3)
    }
    return 0
}

@_cdecl("fuzz_indexpayload_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { test($0, $1) }
}
