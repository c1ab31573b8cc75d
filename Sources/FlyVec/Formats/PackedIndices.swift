/// A code stored as its k set positions, ascending, `width` bits each, packed little-endian (position
/// j in bits j·width… of the code's bytes) into ⌈k·width/8⌉ bytes; unused high bits are zero.
enum PackedIndices {
    /// Bits per position for codes of `bits` bits: ⌈log2 bits⌉, at least 1.
    static func width(bits: Int) -> Int { max(1, Int.bitWidth - (bits - 1).leadingZeroBitCount) }

    static func bytes(k: Int, width: Int) -> Int { (k * width + 7) / 8 }

    static func pack(_ active: [Int], width: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: bytes(k: active.count, width: width))
        // A window of bits written out a byte at a time, as `unpack` reads it.
        var window: UInt64 = 0, held = 0, next = 0
        for position in active {
            precondition(position >= 0 && position >> width == 0, "position \(position) does not fit \(width) bits")
            window |= UInt64(position) << UInt64(held)
            held += width
            while held >= 8 {
                out[next] = UInt8(truncatingIfNeeded: window)
                window >>= 8
                held -= 8
                next += 1
            }
        }
        if held > 0 { out[next] = UInt8(truncatingIfNeeded: window) }
        return out
    }

    /// The k positions, or nil unless they ascend strictly, stay below `below`, and the padding is zero.
    static func unpack(_ b: ArraySlice<UInt8>, k: Int, width: Int, below: Int) -> [Int]? {
        guard b.count >= bytes(k: k, width: width) else { return nil }
        var active: [Int] = []
        active.reserveCapacity(k)
        // A window of bits read a byte at a time: positions are at most 16 bits wide.
        var window: UInt64 = 0, held = 0, next = b.startIndex
        let mask: UInt64 = (1 << UInt64(width)) - 1
        for _ in 0..<k {
            while held < width {
                window |= UInt64(b[next]) << UInt64(held)
                next += 1
                held += 8
            }
            let position = Int(window & mask)
            window >>= UInt64(width)
            held -= width
            guard position < below, active.last.map({ $0 < position }) ?? true else { return nil }
            active.append(position)
        }
        // What is left of the window and any byte after it is padding.
        guard window == 0, b[next...].allSatisfy({ $0 == 0 }) else { return nil }
        return active
    }
}
