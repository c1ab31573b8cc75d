/// What one epoch did.
public struct EpochResult: Sendable, Equatable, Codable {
    /// The epoch's number, 0-based.
    public var epoch: Int
    /// Mean energy per window over the epoch (lower is better; it should fall epoch after epoch).
    public var energy: Double
    /// Wall-clock seconds the epoch took, its shuffle and final fold of the scales included.
    public var seconds: Double
    /// Batches whose max |ds| needed the dense scan.
    public var scans: Int
}
