/// One search result: the position of a code in the index and its Hamming distance to the query.
public struct Neighbor: Sendable, Equatable {
    public let index: Int
    public let distance: Int
}
