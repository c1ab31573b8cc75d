/// The hyper-parameters of the learning rule (docs/ALGORITHM.md §3).
public struct TrainingOptions: Sendable, Equatable, Codable {
    /// Hidden units K: 2048 units for one epoch give the usage read-out's codes their best
    /// quality per second of training (docs/RESULTS.md).
    public var hidden = 2048
    /// Tokens per window w (centre word plus w − 1 context words).
    public var window = 7
    /// Windows per minibatch B. Setting it fixes it: `adaptsBatch` becomes false.
    public var batch = 10_000 { didSet { adaptsBatch = false } }
    /// Whether training chooses the batch from the corpus (`adaptiveBatch(windows:)`) instead of
    /// using `batch`: true by default and in every preset but `reference`. Not stored in a model
    /// file: a model's options hold the batch it was trained with, and are read back fixed.
    public var adaptsBatch = false
    /// One: the usage read-out gains nothing measurable from more (docs/RESULTS.md).
    public var epochs = 1
    /// Initial learning rate ε₀; it decays linearly per epoch: ε₀·(1 − epoch/epochs).
    public var learningRate = 0.1
    /// Standard deviation of the initial synapses.
    public var sigma = 0.02
    /// Seeds the initial synapses and every epoch's shuffle of the windows.
    public var seed: UInt64 = 1
    /// The Krotov–Hopfield p-norm of the drive (2 is the reference's plain dot product).
    public var p = 2.0
    /// Anti-Hebbian strength on the second-ranked unit (0: none, the reference default).
    public var delta = 0.0
    /// Frequency normalisation f = count^(−power) (the reference: 1).
    public var frequencyPower = 0.75
    /// The usage profile to make from the training corpus once training ends and to store in the
    /// model (nil: none, as the reference and the earlier presets).
    public var usage: UsageSettings? = UsageSettings()

    /// FlyVec's defaults, with `adaptsBatch` on: the batch is chosen from the corpus.
    public init() { adaptsBatch = true }

    /// Every stored field; `adaptsBatch` is resolved before a model is written.
    private enum CodingKeys: String, CodingKey {
        case hidden, window, batch, epochs, learningRate, sigma, seed, p, delta, frequencyPower, usage
    }

    /// FlyVec's defaults before the stored usage profile: K 400, five epochs, f = 1/count, codes
    /// read out with `sum` at k 16. Kept so that earlier results stay reproducible.
    public static var classic: TrainingOptions {
        var o = TrainingOptions()
        o.hidden = 400
        o.epochs = 5
        o.frequencyPower = 1
        o.usage = nil
        return o
    }

    /// The reference trainer's settings exactly (window 11, ε₀ 2e-4, batch 10,000, 15 epochs, K 400,
    /// σ 0.02, p 2, no anti-Hebbian term, f = 1/count).
    public static var reference: TrainingOptions {
        var o = TrainingOptions.classic
        o.window = 11
        o.learningRate = 2e-4
        o.epochs = 15
        o.batch = 10_000
        return o
    }

    /// FlyVec's defaults before 2026-12-07: the stored usage profile weighs each co-occurring pair
    /// by count (`UsageSettings.Weighting.count`), stop words are holes to it.
    public static var countWeights: TrainingOptions {
        var o = TrainingOptions()
        o.usage?.weighting = .count
        return o
    }

    /// FlyVec's defaults before 2026-12-06: count weights, and the stored usage profile keeps all
    /// its directions (`UsageSettings.directions` 0).
    public static var wholeProfile: TrainingOptions {
        var o = TrainingOptions.countWeights
        o.usage?.directions = 0
        return o
    }

    /// The usage recipe before the profile was stored: K 4096, one epoch, f = count^−0.75, no stored
    /// profile (codes made with `--readout usage --corpus C --usage-method dense`). Kept so that
    /// earlier results can be re-run; the profile's half precision changes a few codes per thousand.
    public static var wide: TrainingOptions {
        var o = TrainingOptions()
        o.hidden = 4096
        o.epochs = 1
        o.frequencyPower = 0.75
        o.usage = nil
        return o
    }

    /// FlyVec's corpus-aware batch size for a corpus of `windows` windows: windows / 350 within
    /// 1,000…10,000, so that even a small corpus gets a few hundred updates an epoch.
    ///
    /// Each batch moves the largest synapse change by exactly ε, so a corpus with few batches an
    /// epoch barely moves its synapses (docs/ALGORITHM.md §7: the reference's ε = 2e-4 learns nothing with
    /// 248 batches an epoch). ε itself stays 0.1: scaling it down with the number of batches was
    /// measured worse on a corpus 10× larger (docs/RESULTS.md).
    public static func adaptiveBatch(windows: Int) -> Int {
        min(10_000, max(1_000, windows / 350))
    }

    /// These options for a corpus of `windows` windows: the batch chosen when `adaptsBatch`.
    public func resolved(windows: Int) -> TrainingOptions {
        guard adaptsBatch else { return self }
        var o = self
        o.batch = Self.adaptiveBatch(windows: windows)
        return o
    }

    /// The learning rate during `epoch` (0-based).
    public func learningRate(epoch: Int) -> Double {
        learningRate * (1.0 - Double(epoch) / Double(epochs))
    }

    /// Rejects impossible settings before any work starts.
    public func validate() throws {
        func fail(_ name: String, _ why: String) throws { throw FlyVecError.parameter(name, why) }
        if hidden < 2 { try fail("hidden", "must be at least 2 (got \(hidden))") }
        if hidden > 1 << 16 { try fail("hidden", "must be at most 65536 (got \(hidden))") }
        if window < 3 { try fail("window", "must be at least 3 (got \(window))") }
        if window > 255 { try fail("window", "must be at most 255 (got \(window))") }
        if batch < 1 { try fail("batch", "must be at least 1 (got \(batch))") }
        if epochs < 1 { try fail("epochs", "must be at least 1 (got \(epochs))") }
        if !(learningRate > 0) || !learningRate.isFinite { try fail("learningRate", "must be a positive number (got \(learningRate))") }
        if !(sigma >= 0) || !sigma.isFinite { try fail("sigma", "must be zero or positive (got \(sigma))") }
        if !(p >= 1) || !p.isFinite { try fail("p", "must be at least 1 (got \(p))") }
        if !(delta >= 0) || !delta.isFinite { try fail("delta", "must be zero or positive (got \(delta))") }
        if !frequencyPower.isFinite || frequencyPower < 0 { try fail("frequencyPower", "must be zero or positive") }
        try usage?.validate()
    }
}
