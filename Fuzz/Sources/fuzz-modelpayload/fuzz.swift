import FlyVec
import FuzzSupport

/// Any payload, sealed in a valid envelope (its first byte is the format version, the rest is
/// compressed afresh, so zstd's checksum always passes): the model reader's own checks answer,
/// never a crash, and a model that loads gives codes from each read-out it has.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1, let packed = try? Zstd.compress(Array(UnsafeBufferPointer(start: data + 1, count: size - 1))) else { return 0 }
    let bytes = Array("FLYVECM\0".utf8) + [data[0], 0, 0, 0, 0, 0, 0, 0] + packed
    guard let model = try? ModelFile.decode(bytes, file: "fuzz"), model.vocabulary.count > 1 else { return 0 }
    _ = try? CodeBook(model: model, k: 1, readout: .sum)
    if let hasher = try? WordHasher(model: model, k: 1, readout: .usage) {
        let n = model.vocabulary.count
        for id in 1..<min(n, 8) where hasher.hasStaticCode(id: id) {
            _ = hasher.staticCode(id: id)
            _ = hasher.contextualCode(id: id, context: [(id + 1) % n, n - 1].filter { $0 != 0 })
        }
    }
    return 0
}

@_cdecl("fuzz_modelpayload_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { test($0, $1) }
}
