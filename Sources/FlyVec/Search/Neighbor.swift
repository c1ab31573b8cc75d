/// One search result: the position of a code in the index and its Hamming distance to the query.
public struct Neighbor: Sendable, Equatable {
    /// The code's position in the ``HammingIndex``, 0..<count.
    public let index: Int
    /// Its Hamming distance to the query: bits that differ.
    public let distance: Int
}
