/// Half-precision values widened to Float through a table: the runtime converts one value per
/// library call, which was a fifth of the time to load a model with float16 synapses.
enum HalfPrecision {
    /// The Float of every half-precision bit pattern (256 KB).
    static let floats: [Float] = (0...0xFFFF).map { Float(Float16(bitPattern: UInt16($0))) }
}
