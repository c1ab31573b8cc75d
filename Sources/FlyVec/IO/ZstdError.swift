import CZstd

/// An error from libzstd, with the library's own description.
public struct ZstdError: Error, CustomStringConvertible {
    public let description: String
    init(code: Int) {
        description = String(cString: ZSTD_getErrorName(code))
    }
}
