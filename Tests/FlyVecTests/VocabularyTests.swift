import Foundation
import Testing
import FlyVec

@Suite struct VocabularyTests {
    // Counts by hand: the 4, cat 3, sat 2, on 2, mat 1, dog 1, 7 <NUM> tokens: 2 ("7", "8x").
    let text = "The cat sat on the mat.\nThe cat sat.\nThe dog on 7 cat 8x\n"

    @Test func countsAndOrder() throws {
        let (v, corpus, stats) = try encode(text)
        #expect(v.words == ["<UNK>", "<NUM>", "the", "cat", "on", "sat", "dog", "mat"])
        #expect(v.counts == [0, 2, 4, 3, 2, 2, 1, 1])
        #expect(stats.tokens == 15)
        #expect(stats.sentences == 3)
        #expect(corpus.sentenceEndPositions == [6, 9, 15])
    }

    @Test func minCountStopWordsAndSize() throws {
        let (v, corpus, stats) = try encode(text, minCount: 2, stopWords: ["the"], maxSize: 2)
        // Kept: cat 3, then on/sat tie at 2 broken by word: on. "the" is a stop word.
        #expect(v.words == ["<UNK>", "<NUM>", "cat", "on"])
        #expect(v.counts == [15 - 2 - 5 - 4, 2, 3, 2])
        #expect(stats.stopWordTokens == 4)
        // The stop word keeps an id above the vocabulary (N_voc + 0); unknown words are 0.
        #expect(Array(corpus.sentence(0)) == [4, 2, 0, 3, 4, 0])
        #expect(v.sortedStopWords == ["the"])
    }

    @Test func wordsInMostSentencesAreDropped() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("c.txt")
        write("a x\na y\na z\nb x\n", to: file)
        var reader = CorpusReader()
        reader.vocabulary.minCount = 1
        reader.vocabulary.stopWords = []
        reader.vocabulary.maxSentenceFraction = 0.7  // "a" is in 3 of 4 sentences
        let (v, _, _) = try reader.read([file.path])
        #expect(!v.words.contains("a"))
        #expect(v.words.contains("x"))
    }

    /// Tens of thousands of types (the table grows several times), many longer than 8 bytes and
    /// sharing their first 8, against counts kept in a Dictionary while the text was generated.
    @Test func manyTypesCountLikeADictionary() throws {
        var rng = SplitMix64(seed: 7)
        let prefixes = ["", "internat", "internationalisation", "abcdefgh"]
        var expected: [String: Int] = [:]
        var tokens: [String] = []
        var lines: [String] = []
        for _ in 0..<6_000 {
            var line: [String] = []
            for _ in 0..<50 {
                // Squaring skews the draw so some words are frequent and most are rare.
                let r = rng.next(below: 100_000), k = Int(r * r / 100_000)
                let word = prefixes[k % prefixes.count] + letters(k)
                line.append(word)
                expected[word, default: 0] += 1
            }
            tokens += line
            lines.append(line.joined(separator: " "))
        }
        let (v, corpus, stats) = try encode(lines.joined(separator: "\n"), maxSize: 1_000_000)
        #expect(expected.count > 40_000)
        #expect(stats.types == expected.count)
        #expect(v.count == expected.count + 2)
        for (id, word) in v.words.enumerated().dropFirst(2) { #expect(v.counts[id] == expected[word]) }
        #expect(corpus.withIds(Array.init).map { v.words[Int($0)] } == tokens)
    }

    @Test func tsvRoundTrip() throws {
        let (v, _, _) = try encode(text)
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("v.tsv")
        try AtomicFile.write(Array(v.tsv().utf8), to: file.path)
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("<UNK>\t0\n<NUM>\t2\nthe\t4\ncat\t3\n"))
        let back = try Vocabulary.read(tsvAt: file.path, stopWords: [])
        #expect(back == v)
    }

    @Test func fixedVocabularyEncodesTheSame() throws {
        let (v, corpus, _) = try encode(text, minCount: 2)
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("c.txt")
        write(text, to: file)
        let (v2, corpus2, _) = try CorpusReader().read([file.path], vocabulary: v)
        #expect(v2 == v)
        #expect(corpus2.withIds(Array.init) == corpus.withIds(Array.init))
    }

    @Test func badTSVNamesTheLine() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("v.tsv")
        write("<UNK>\t0\n<NUM>\t0\ncat three\n", to: file)
        #expect {
            try Vocabulary.read(tsvAt: file.path, stopWords: [])
        } throws: { "\($0)".contains("line 3") }
    }
}
