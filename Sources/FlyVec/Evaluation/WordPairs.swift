import Foundation

/// A word-similarity data set: word pairs with human scores (WS353, SimLex-999, …).
public struct WordPairs: Sendable {
    public struct Pair: Sendable, Equatable {
        public let first: String
        public let second: String
        public let score: Double

        public init(first: String, second: String, score: Double) {
            self.first = first
            self.second = second
            self.score = score
        }
    }

    public let name: String
    public let pairs: [Pair]

    public init(name: String, pairs: [Pair]) {
        self.name = name
        self.pairs = pairs
    }

    /// Reads `w1<TAB>w2<TAB>score` lines; `#` starts a comment line; words are lower-cased.
    public static func read(_ path: String) throws -> WordPairs {
        let bytes = try AtomicFile.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FlyVecError.file(path, "not UTF-8 text") }
        var pairs: [Pair] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: "\t")
            guard f.count >= 3, let score = Double(f[2]) else {
                throw FlyVecError.file(path, "line \(n + 1): expected 'word<TAB>word<TAB>score'")
            }
            pairs.append(Pair(first: f[0].lowercased(), second: f[1].lowercased(), score: score))
        }
        if pairs.isEmpty { throw FlyVecError.file(path, "no word pairs") }
        return WordPairs(name: URL(fileURLWithPath: path).lastPathComponent, pairs: pairs)
    }
}

/// The Spearman rank correlation of two equally long samples, ties given their average rank.
public func spearman(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "samples of \(x.count) and \(y.count) values")
    return pearson(averageRanks(x), averageRanks(y))
}

/// Ranks 1…n, tied values sharing the mean of the ranks they span.
public func averageRanks(_ v: [Double]) -> [Double] {
    let order = v.indices.sorted { v[$0] < v[$1] }
    var ranks = [Double](repeating: 0, count: v.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
        let rank = Double(i + j) / 2 + 1
        for t in i...j { ranks[order[t]] = rank }
        i = j + 1
    }
    return ranks
}

/// The Pearson correlation; 0 when either sample is constant.
public func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    guard n > 1 else { return 0 }
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
        sxy += (x[i] - mx) * (y[i] - my)
        sxx += (x[i] - mx) * (x[i] - mx)
        syy += (y[i] - my) * (y[i] - my)
    }
    return sxx == 0 || syy == 0 ? 0 : sxy / (sxx * syy).squareRoot()
}

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
        spearman = model.count > 1 ? FlyVec.spearman(model, human) : 0
        used = model.count
        outOfVocabulary = oov
    }
}
