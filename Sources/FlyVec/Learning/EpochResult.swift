/// What one epoch did.
public struct EpochResult: Sendable, Equatable, Codable {
    public var epoch: Int
    /// Mean energy per window over the epoch (lower is better; it should fall epoch after epoch).
    public var energy: Double
    public var seconds: Double
    /// Batches whose max |ds| needed the dense scan.
    public var scans: Int
}
