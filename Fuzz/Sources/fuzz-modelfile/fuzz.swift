import FlyVec
import FuzzSupport

/// Any bytes: the model loader answers with a model or a FlyVecError, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let model = try? ModelFile.decode(bytes, file: "fuzz"), model.vocabulary.count > 1 {
        _ = try? CodeBook(model: model, k: 1, readout: .sum)
    }
    return 0
}

@_cdecl("fuzz_modelfile_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { test($0, $1) }
}
