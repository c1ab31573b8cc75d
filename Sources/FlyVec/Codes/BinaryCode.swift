/// A binary hash code of K bits, packed little-endian into 64-bit words (bit μ of the code is bit
/// μ % 64 of word μ / 64).
public struct BinaryCode: Hashable, Sendable, CustomStringConvertible {
    public let bits: Int
    public private(set) var words: [UInt64]

    public init(bits: Int) {
        self.bits = bits
        words = [UInt64](repeating: 0, count: (bits + 63) / 64)
    }

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

    public subscript(bit: Int) -> Bool {
        get { words[bit >> 6] >> UInt64(bit & 63) & 1 == 1 }
        set {
            let mask: UInt64 = 1 << UInt64(bit & 63)
            if newValue { words[bit >> 6] |= mask } else { words[bit >> 6] &= ~mask }
        }
    }

    /// The positions of the set bits, ascending.
    /// The code of the `k` largest of `values` (ties to the lower index), of `values.count` bits:
    /// how every read-out turns a vector into a code.
    public init(top k: Int, of values: [Float]) {
        self.init(bits: values.count, active: values.withUnsafeBufferPointer { topK($0, k) })
    }

    public var activeBits: [Int] { (0..<bits).filter { self[$0] } }

    /// Number of set bits.
    public var popcount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Positions where the two codes differ.
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

    public var description: String { activeBits.map(String.init).joined(separator: " ") }
}
