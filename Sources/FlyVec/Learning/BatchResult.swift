/// What one minibatch did.
public struct BatchResult: Sendable {
    /// Σ over the batch of −⟨W_μ̂, v⊙f⟩ / ‖W_μ̂‖ (with W as it was before the update).
    public var energy: Double
    /// The normaliser max |ds| the update was divided by.
    public var normaliser: Float
    /// Whether the exact dense scan of max |ds| was needed (the bound did not settle it).
    public var scanned: Bool
}
