/// How well code similarities follow human scores on one data set.
public struct WordSimilarityResult: Sendable {
    public let name: String
    public let spearman: Double
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
