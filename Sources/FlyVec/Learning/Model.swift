/// A trained (or training) model: vocabulary, synapses and how they were made.
///
/// A value: copies share the synapses, which only a `Trainer` changes.
public struct Model: Sendable {
    /// The N_voc words (specials included) with their counts, and the stop words.
    public let vocabulary: Vocabulary
    /// The synapses W, K × 2·N_voc, shared by every copy of the model.
    public let synapses: Synapses
    /// The hyper-parameters the model is trained with; K is `options.hidden`.
    public let options: TrainingOptions
    /// How the training corpus was tokenized; contextual codes tokenize text the same way.
    public let tokenizer: TokenizerOptions
    /// One entry per finished epoch; a model with fewer than `options.epochs` is a checkpoint.
    public private(set) var history: [EpochResult]
    /// The usage profile made when training finished (`TrainingOptions.usage`), stored with the
    /// model so that its codes need no corpus; nil for checkpoints and models trained without one.
    public private(set) var usage: UsageProfile?
    /// For a model read with `ModelFile.SynapseLoading.strongestContext`: what a sparse usage
    /// profile needs of the synapses, which were not kept.
    var strongestContext: StrongestContext?

    /// A model from its parts, as a model file holds them.
    /// - Throws: ``FlyVecError`` `mismatch` unless `synapses` is `options.hidden` ×
    ///   2·`vocabulary.count` and `usage` (if any) was made for this many units and words.
    public init(vocabulary: Vocabulary, synapses: Synapses, options: TrainingOptions,
                tokenizer: TokenizerOptions, history: [EpochResult] = [], usage: UsageProfile? = nil) throws {
        guard synapses.units == options.hidden, synapses.inputs == 2 * vocabulary.count else {
            throw FlyVecError(.mismatch, "synapses of \(synapses.units) × \(synapses.inputs) for K \(options.hidden) and \(vocabulary.count) words")
        }
        if let usage, !usage.fits(units: options.hidden, words: vocabulary.count) {
            throw FlyVecError(.mismatch, "the usage profile was made for another model")
        }
        self.init(unchecked: vocabulary, synapses: synapses, options: options, tokenizer: tokenizer, history: history, usage: usage)
    }

    private init(unchecked vocabulary: Vocabulary, synapses: Synapses, options: TrainingOptions,
                 tokenizer: TokenizerOptions, history: [EpochResult], usage: UsageProfile?) {
        self.vocabulary = vocabulary
        self.synapses = synapses
        self.options = options
        self.tokenizer = tokenizer
        self.history = history
        self.usage = usage
    }

    /// A new model with synapses drawn from N(0, σ) seeded by `options.seed`.
    /// - Throws: ``FlyVecError`` `outOfSpace` when the system refuses the synapses' memory.
    public init(vocabulary: Vocabulary, options: TrainingOptions, tokenizer: TokenizerOptions) throws {
        let synapses: Synapses
        do {
            synapses = try Synapses(units: options.hidden, inputs: 2 * vocabulary.count, sigma: options.sigma, seed: options.seed)
        } catch let e as FlyVecError {
            throw FlyVecError(e.kind, "\(e.reason): fewer hidden units or a smaller vocabulary need less")
        }
        self.init(unchecked: vocabulary, synapses: synapses, options: options, tokenizer: tokenizer, history: [], usage: nil)
    }

    /// Epochs finished so far.
    public var epochsDone: Int { history.count }
    /// Whether all `options.epochs` epochs are finished (false: a checkpoint or a fresh model).
    public var isComplete: Bool { history.count >= options.epochs }

    /// Records a finished epoch (its synapses trained in place by the `Trainer`).
    public mutating func finish(_ epoch: EpochResult) { history.append(epoch) }

    /// Stores `profile` with the model (nil: none), to be written with it and read out by default.
    /// - Throws: ``FlyVecError`` `mismatch` when the profile was made with another model.
    public mutating func attach(_ profile: UsageProfile?) throws {
        if let profile, !profile.fits(units: options.hidden, words: vocabulary.count) {
            throw FlyVecError(.mismatch, "the usage profile was made for another model")
        }
        usage = profile
    }
}
