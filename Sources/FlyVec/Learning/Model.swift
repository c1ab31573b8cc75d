/// A trained (or training) model: vocabulary, synapses and how they were made.
///
/// A value: copies share the synapses, which only a `Trainer` changes.
public struct Model: Sendable {
    public let vocabulary: Vocabulary
    public let synapses: Synapses
    public let options: TrainingOptions
    public let tokenizer: TokenizerOptions
    /// One entry per finished epoch; a model with fewer than `options.epochs` is a checkpoint.
    public private(set) var history: [EpochResult]
    /// The usage profile made when training finished (`TrainingOptions.usage`), stored with the
    /// model so that its codes need no corpus; nil for checkpoints and models trained without one.
    public private(set) var usage: UsageProfile?

    public init(vocabulary: Vocabulary, synapses: Synapses, options: TrainingOptions,
                tokenizer: TokenizerOptions, history: [EpochResult] = [], usage: UsageProfile? = nil) {
        self.vocabulary = vocabulary
        self.synapses = synapses
        self.options = options
        self.tokenizer = tokenizer
        self.history = history
        self.usage = usage
    }

    /// A new model with synapses drawn from N(0, σ) seeded by `options.seed`.
    public init(vocabulary: Vocabulary, options: TrainingOptions, tokenizer: TokenizerOptions) {
        self.init(vocabulary: vocabulary,
                  synapses: Synapses(units: options.hidden, inputs: 2 * vocabulary.count, sigma: options.sigma, seed: options.seed),
                  options: options, tokenizer: tokenizer)
    }

    /// Epochs finished so far.
    public var epochsDone: Int { history.count }
    public var isComplete: Bool { history.count >= options.epochs }

    /// Records a finished epoch (its synapses trained in place by the `Trainer`).
    public mutating func finish(_ epoch: EpochResult) { history.append(epoch) }

    /// Stores `profile` with the model (nil: none), to be written with it and read out by default.
    public mutating func attach(_ profile: UsageProfile?) { usage = profile }
}
