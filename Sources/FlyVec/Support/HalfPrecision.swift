import CFlyVecSupport

/// Half-precision values widened to Float through a table: the runtime converts one value per
/// library call, which was a fifth of the time to load a model with float16 synapses.
enum HalfPrecision {
    /// The Float of every half-precision bit pattern (256 KB).
    static let floats: [Float] = (0...0xFFFF).map { Float(Float16(bitPattern: UInt16($0))) }

    /// `into[i]` = the value of bit pattern `halves[i]`, with the CPU's conversion where it has
    /// one (`hardware`), else through `floats`: both give the same values.
    static func widen(_ halves: UnsafePointer<UInt16>, count: Int, into: UnsafeMutablePointer<Float>, hardware: Bool = true) {
        floats.withUnsafeBufferPointer { flyvec_halves_to_floats(into, halves, count, $0.baseAddress!, hardware ? 1 : 0) }
    }

    /// Whether no bit pattern is an infinity or a NaN.
    static func areFinite(_ halves: UnsafePointer<UInt16>, count: Int) -> Bool { flyvec_halves_finite(halves, count) != 0 }
}
