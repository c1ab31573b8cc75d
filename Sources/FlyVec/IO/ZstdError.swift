import CZstd

/// An error from libzstd inside FlyVec's zstd code; the public entry points turn it into a
/// ``FlyVecError`` (`corrupt`, or `outOfSpace` when zstd could not allocate).
struct ZstdError: Error, CustomStringConvertible {
    /// libzstd's name for the error, or FlyVec's message for a truncated or oversized stream.
    let description: String
    /// Whether zstd could not allocate its state.
    var outOfMemory = false

    init(code: Int) {
        description = String(cString: ZSTD_getErrorName(code))
    }

    init(description: String, outOfMemory: Bool = false) {
        self.description = description
        self.outOfMemory = outOfMemory
    }

    /// The ``FlyVecError`` a caller sees.
    var flyVecError: FlyVecError { FlyVecError(outOfMemory ? .outOfSpace : .corrupt, "zstd: \(description)") }
}
