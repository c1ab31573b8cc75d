/// Where training stands, for progress lines.
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var windowsDone: Int
    public var windowsPerEpoch: Int
    public var learningRate: Double
    /// Mean energy per window so far in this epoch.
    public var energy: Double
}
