/// Where training stands, for progress lines.
public struct TrainingProgress: Sendable {
    /// The epoch under way, 0-based.
    public var epoch: Int
    /// Epochs in the whole run (`TrainingOptions.epochs`).
    public var epochs: Int
    /// Windows trained so far in this epoch.
    public var windowsDone: Int
    /// Windows in every epoch: all the corpus's windows.
    public var windowsPerEpoch: Int
    /// This epoch's learning rate, ε₀·(1 − epoch/epochs).
    public var learningRate: Double
    /// Mean energy per window so far in this epoch.
    public var energy: Double
}
