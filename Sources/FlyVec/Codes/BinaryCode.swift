/// A binary hash code of K bits, packed little-endian into 64-bit words (bit μ of the code is bit
/// μ % 64 of word μ / 64).
public struct BinaryCode: Hashable, Sendable, CustomStringConvertible {
    /// Length of the code in bits (K, the model's hidden units, for word codes).
    public let bits: Int
    /// The code packed into ⌈bits/64⌉ 64-bit words: bit μ is bit μ % 64 of word μ / 64.
    public private(set) var words: [UInt64]

    /// An all-zero code of `bits` bits.
    public init(bits: Int) {
        self.bits = bits
        words = [UInt64](repeating: 0, count: (bits + 63) / 64)
    }

    /// A code from its packed words; `words.count` must be ⌈bits/64⌉ (a precondition). Bits past
    /// `bits` in the last word should be 0: `popcount` and distances count them.
    public init(bits: Int, words: [UInt64]) {
        precondition(words.count == (bits + 63) / 64, "a \(bits)-bit code takes \((bits + 63) / 64) words")
        self.bits = bits
        self.words = words
    }

    /// A code with exactly the bits `active` set.
    public init(bits: Int, active: some Sequence<Int>) {
        self.init(bits: bits)
        for μ in active { self[μ] = true }
    }

    /// Whether bit `bit` (0..<bits) is set; assigning sets or clears it. Only the word index is
    /// range-checked, not `bit < bits`.
    public subscript(bit: Int) -> Bool {
        get { words[bit >> 6] >> UInt64(bit & 63) & 1 == 1 }
        set {
            let mask: UInt64 = 1 << UInt64(bit & 63)
            if newValue { words[bit >> 6] |= mask } else { words[bit >> 6] &= ~mask }
        }
    }

    /// The code of the `k` largest of `values` (ties to the lower index), of `values.count` bits:
    /// how every read-out turns a vector into a code.
    public init(top k: Int, of values: [Float]) {
        self.init(bits: values.count, active: values.withUnsafeBufferPointer { topK($0, k) })
    }

    /// The positions of the set bits, ascending.
    public var activeBits: [Int] {
        var out: [Int] = []
        for (i, word) in words.enumerated() {
            var w = word
            while w != 0 {
                let bit = i << 6 | w.trailingZeroBitCount
                if bit < bits { out.append(bit) }
                w &= w - 1
            }
        }
        return out
    }

    /// Number of set bits.
    public var popcount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The number of positions where the two codes differ.
    public func hammingDistance(to other: BinaryCode) -> Int {
        precondition(bits == other.bits, "codes of \(bits) and \(other.bits) bits")
        var d = 0
        for i in words.indices { d += (words[i] ^ other.words[i]).nonzeroBitCount }
        return d
    }

    /// The paper's similarity (n11 + n00) / K: the fraction of positions where the codes agree.
    public func similarity(to other: BinaryCode) -> Double {
        Double(bits - hammingDistance(to: other)) / Double(bits)
    }

    /// The set positions, ascending and separated by spaces (e.g. `3 17 250`).
    public var description: String { activeBits.map(String.init).joined(separator: " ") }
}
