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

    /// `into[i]` = `values[i]` rounded to half precision (to nearest, ties to even), as
    /// `Float16(values[i])`: with the CPU's conversion where it has one (`hardware`).
    static func narrow(_ values: UnsafePointer<Float>, count: Int, into: UnsafeMutablePointer<UInt16>, hardware: Bool = true) {
        if hardware && flyvec_uses_f16c() != 0 { return flyvec_floats_to_halves(into, values, count) }
        for i in 0..<count { into[i] = Float16(values[i]).bitPattern }
    }

    /// `values` in half precision, converted on `threads` threads.
    static func narrow(_ values: [Float], threads: Int) -> [Float16] {
        let chunk = 1 << 16
        return [Float16](unsafeUninitializedCapacity: values.count) { out, filled in
            nonisolated(unsafe) let out = out
            values.withUnsafeBufferPointer { v in
                let parts = (v.count + chunk - 1) / chunk, T = max(1, min(threads, parts))
                concurrently(T) { t in
                    for c in stride(from: t, to: parts, by: T) {
                        let range = (c * chunk)..<min(v.count, (c + 1) * chunk)
                        out.baseAddress!.advanced(by: range.lowerBound).withMemoryRebound(to: UInt16.self, capacity: range.count) {
                            narrow(v.baseAddress! + range.lowerBound, count: range.count, into: $0)
                        }
                    }
                }
            }
            filled = values.count
        }
    }
}
