/// Which synapses a word's static code is read from (docs/ALGORITHM.md §5, §8).
public enum Readout: String, Sendable, Codable, CaseIterable {
    /// The word's target column W[:, N_voc + id], as the reference does.
    case target
    /// The word's context column W[:, id].
    case context
    /// Both added: measured in docs/ALGORITHM.md §8 to give clearly better codes at no training cost.
    case sum
    /// `sum` with each unit z-scored over the vocabulary's read-out vectors, so that no unit is in
    /// every code because its weights are large for all words (docs/ALGORITHM.md §8's best, with K 1600).
    case sumz
    /// The word's `UsageProfile` over a corpus: the context words it occurs among, seen through the
    /// trained synapses. Needs the corpus when codes are made.
    case usage
}
