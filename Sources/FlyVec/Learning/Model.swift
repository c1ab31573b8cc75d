/// A trained (or training) model: vocabulary, synapses and how they were made.
public final class Model: @unchecked Sendable {
    public let vocabulary: Vocabulary
    public let synapses: Synapses
    public let options: TrainingOptions
    public let tokenizer: TokenizerOptions
    /// One entry per finished epoch; a model with fewer than `options.epochs` is a checkpoint.
    public var history: [EpochResult]
    /// The usage profile made when training finished (`TrainingOptions.usage`), stored with the
    /// model so that its codes need no corpus; nil for checkpoints and models trained without one.
    public var usage: UsageProfile?

    public init(vocabulary: Vocabulary, synapses: Synapses, options: TrainingOptions,
                tokenizer: TokenizerOptions, history: [EpochResult] = []) {
        self.vocabulary = vocabulary
        self.synapses = synapses
        self.options = options
        self.tokenizer = tokenizer
        self.history = history
    }

    /// A new model with synapses drawn from N(0, σ) seeded by `options.seed`.
    public convenience init(vocabulary: Vocabulary, options: TrainingOptions, tokenizer: TokenizerOptions) {
        self.init(vocabulary: vocabulary,
                  synapses: Synapses(units: options.hidden, inputs: 2 * vocabulary.count, sigma: options.sigma, seed: options.seed),
                  options: options, tokenizer: tokenizer)
    }

    /// Epochs finished so far.
    public var epochsDone: Int { history.count }
    public var isComplete: Bool { history.count >= options.epochs }
}
