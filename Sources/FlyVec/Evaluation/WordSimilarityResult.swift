/// How well code similarities follow human scores on one data set.
public struct WordSimilarityResult: Sendable {
    /// The data set's name (``WordPairs/name``).
    public let name: String
    /// Spearman rank correlation of the scored pairs' similarities with the human scores, −1…1
    /// (0 when fewer than two pairs could be scored).
    public let spearman: Double
    /// Pairs scored: those `similarity` gave a value for (both words have a code).
    public let used: Int
    /// Pairs with a word that has no code.
    public let outOfVocabulary: [WordPairs.Pair]

    /// Evaluates `similarity` (nil: no code) on `pairs`, skipping pairs it cannot score.
    public init(_ pairs: WordPairs, similarity: (String, String) -> Double?) {
        var model: [Double] = [], human: [Double] = [], oov: [WordPairs.Pair] = []
        for p in pairs.pairs {
            if let s = similarity(p.first, p.second) {
                model.append(s)
                human.append(p.score)
            } else {
                oov.append(p)
            }
        }
        name = pairs.name
        spearman = model.count > 1 ? Correlation.spearman(model, human) : 0
        used = model.count
        outOfVocabulary = oov
    }
}
