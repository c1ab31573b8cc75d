/// A code stored as its k set positions, ascending, `width` bits each, packed little-endian (position
/// j in bits j·width… of the code's bytes) into ⌈k·width/8⌉ bytes; unused high bits are zero.
enum PackedIndices {
    /// Bits per position for codes of `bits` bits: ⌈log2 bits⌉, at least 1.
    static func width(bits: Int) -> Int { max(1, Int.bitWidth - (bits - 1).leadingZeroBitCount) }

    static func bytes(k: Int, width: Int) -> Int { (k * width + 7) / 8 }

    static func pack(_ active: [Int], width: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: bytes(k: active.count, width: width))
        var bit = 0
        for position in active {
            for b in 0..<width where position >> b & 1 == 1 { out[(bit + b) >> 3] |= 1 << UInt8((bit + b) & 7) }
            bit += width
        }
        return out
    }

    /// The k positions, or nil unless they ascend strictly, stay below `below`, and the padding is zero.
    static func unpack(_ b: ArraySlice<UInt8>, k: Int, width: Int, below: Int) -> [Int]? {
        let base = b.startIndex
        func bit(_ i: Int) -> Int { Int(b[base + i >> 3] >> UInt8(i & 7) & 1) }
        var active: [Int] = []
        active.reserveCapacity(k)
        for j in 0..<k {
            var position = 0
            for x in 0..<width { position |= bit(j * width + x) << x }
            guard position < below, active.last.map({ $0 < position }) ?? true else { return nil }
            active.append(position)
        }
        for i in (k * width)..<(b.count * 8) where bit(i) != 0 { return nil }
        return active
    }
}
