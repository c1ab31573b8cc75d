import CZstd

/// An error from libzstd, with the library's own description.
public struct ZstdError: Error, CustomStringConvertible {
    /// libzstd's name for the error, or FlyVec's message for a truncated or oversized stream.
    public let description: String
    init(code: Int) {
        description = String(cString: ZSTD_getErrorName(code))
    }
}
