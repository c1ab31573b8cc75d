import Foundation
import Testing
import FlyVec

@Suite struct PhrasesTests {
    /// The learned pairs are exactly those a plain count of the tokens scores above the threshold
    /// with gensim's formula, stop-word pairs left out; joining runs left to right.
    @Test func learnedPairsFollowTheScoreFromAPlainCount() throws {
        var rng = SplitMix64(seed: 9)
        let fillers = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
        var lines: [String] = []
        for _ in 0..<3000 {
            var words: [String] = []
            for _ in 0..<8 {
                switch rng.next(below: 10) {
                case 0: words += ["new", "york"]
                case 1: words += ["of", "the"]
                case 2: words += ["red", "wine"]
                default: words.append(fillers[Int(rng.next(below: UInt64(fillers.count)))])
                }
            }
            lines.append(words.joined(separator: " "))
        }
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("c.txt")
        write(lines.joined(separator: "\n") + "\n", to: file)
        var options = Phrases.Options()
        options.threshold = 0.01  // a vocabulary of ~100 words and pairs gives small scores
        let phrases = try Phrases(learningFrom: [file.path], options: options)

        // The reference: every adjacent pair counted from the lines themselves.
        var wordCount: [String: Int] = [:], pairCount: [String: Int] = [:]
        for line in lines {
            let w = line.split(separator: " ").map(String.init)
            for x in w { wordCount[x, default: 0] += 1 }
            for i in 0..<(w.count - 1) { pairCount[w[i] + " " + w[i + 1], default: 0] += 1 }
        }
        let size = Double(wordCount.count + pairCount.count)
        var expected: Set<Phrases.Pair> = []
        for (pair, n) in pairCount where n >= options.minCount {
            let p = pair.split(separator: " ").map(String.init)
            if options.stopWords.contains(p[0]) || options.stopWords.contains(p[1]) { continue }
            let score = Double(n - options.minCount) / Double(wordCount[p[0]]! * wordCount[p[1]]!) * size
            if score > options.threshold { expected.insert(Phrases.Pair(p[0], p[1])) }
        }
        #expect(phrases.pairs == expected)
        #expect(phrases.pairs.contains(Phrases.Pair("new", "york")) && phrases.pairs.contains(Phrases.Pair("red", "wine")))
        #expect(!phrases.pairs.contains(Phrases.Pair("of", "the")))
        let joined = Phrases(pairs: [Phrases.Pair("a", "b"), Phrases.Pair("b", "c")])
        #expect(joined.join(["a", "b", "c", "b", "c"]) == ["a_b", "c", "b_c"])
    }
}
