import Foundation

/// A word-similarity data set: word pairs with human scores (WS353, SimLex-999, …).
public struct WordPairs: Sendable {
    /// Two words and the similarity people gave them.
    public struct Pair: Sendable, Equatable {
        /// The first word (lower-cased when read from a file).
        public let first: String
        /// The second word (lower-cased when read from a file).
        public let second: String
        /// The human similarity score, on the data set's own scale: only its rank order counts.
        public let score: Double

        /// A pair as given (not lower-cased).
        public init(first: String, second: String, score: Double) {
            self.first = first
            self.second = second
            self.score = score
        }
    }

    /// The data set's name; `read(_:)` uses the file name.
    public let name: String
    /// The word pairs, in file order when read.
    public let pairs: [Pair]

    /// A data set from pairs already in memory.
    public init(name: String, pairs: [Pair]) {
        self.name = name
        self.pairs = pairs
    }

    /// Reads `w1<TAB>w2<TAB>score` lines; `#` starts a comment line; words are lower-cased.
    public static func read(_ path: String) throws -> WordPairs {
        let bytes = try AtomicFile.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FlyVecError(.invalidInput, "not UTF-8 text", file: path) }
        var pairs: [Pair] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: "\t")
            guard f.count >= 3, let score = Double(f[2]) else {
                throw FlyVecError(.invalidInput, "line \(n + 1): expected 'word<TAB>word<TAB>score'", file: path)
            }
            pairs.append(Pair(first: f[0].lowercased(), second: f[1].lowercased(), score: score))
        }
        if pairs.isEmpty { throw FlyVecError(.invalidInput, "no word pairs", file: path) }
        return WordPairs(name: URL(fileURLWithPath: path).lastPathComponent, pairs: pairs)
    }
}
