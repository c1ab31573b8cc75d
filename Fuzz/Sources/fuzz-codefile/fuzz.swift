import FlyVec
import FuzzSupport

/// Any bytes: the code-file loader answers with a code book or a FlyVecError, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let book = try? CodeFile.decode(bytes, file: "fuzz"), book.count > 0 {
        _ = book.nearest(to: book.words[0], count: 3)
    }
    return 0
}

@_cdecl("fuzz_codefile_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { test($0, $1) }
}
