import Testing
import FlyVec

@Suite struct WindowsTests {
    @Test func windowsOfAConcreteSentence() throws {
        // Sentence 1: a b the c d e (6 tokens, "the" a hole); sentence 2: f g (too short for w = 3).
        let (v, corpus, _) = try encode("a b the c d e.\nf g\n", stopWords: ["the"])
        let id = { (w: String) in v.id(of: w)! }
        let n = v.count
        let windows = try Windows(corpus: corpus, width: 3, vocabularySize: n)
        #expect(windows.starts == [0, 1, 2, 3])  // 6 − 3 + 1 windows; none from "f g"
        #expect(windows.sample(at: 0).map { [$0.index, $0.count] } == [[id("a"), 1], [n + id("b"), 1]])
        // Window "b the c": the centre is a hole, so only context entries remain.
        #expect(windows.rows(at: 1) == [id("b"), id("c")])
        #expect(windows.rows(at: 2) == [n + id("c"), id("d")])
        #expect(windows.rows(at: 3) == [id("c"), n + id("d"), id("e")])
    }

    @Test func repeatedContextWordsAreCounted() throws {
        let (v, corpus, _) = try encode("x y x\n")
        let windows = try Windows(corpus: corpus, width: 3, vocabularySize: v.count)
        let s = windows.sample(at: 0)
        #expect(s.count == 2)
        #expect(s.first { $0.index == v.id(of: "x")! }?.count == 2)
    }

    @Test func noWindowCrossesASentence() throws {
        let text = randomText(words: 20, sentences: 200, length: 1...12, seed: 7)
        let (v, corpus, _) = try encode(text)
        let windows = try Windows(corpus: corpus, width: 5, vocabularySize: v.count)
        var begin = 0
        var expected: [UInt32] = []
        for e in corpus.sentenceEndPositions {
            let end = Int(e)
            if end - begin >= 5 { expected += (begin...(end - 5)).map(UInt32.init) }
            begin = end
        }
        #expect(windows.starts == expected)
    }

    @Test func shufflesAreSeededPermutations() throws {
        let (v, corpus, _) = try encode(randomText(words: 30, sentences: 100, length: 5...15, seed: 3))
        let windows = try Windows(corpus: corpus, width: 5, vocabularySize: v.count)
        let a = windows.shuffledStarts(seed: 9, epoch: 2)
        #expect(a == windows.shuffledStarts(seed: 9, epoch: 2))
        #expect(a != windows.shuffledStarts(seed: 9, epoch: 3))
        #expect(a != windows.starts)
        #expect(a.sorted() == windows.starts)
    }

    @Test func encodingIsDeterministicAcrossPasses() throws {
        let text = randomText(words: 50, sentences: 300, length: 3...20, seed: 11)
        let (v1, c1, _) = try encode(text)
        let (v2, c2, _) = try encode(text)
        #expect(v1 == v2)
        #expect(c1.withIds(Array.init) == c2.withIds(Array.init))
        #expect(c1.sentenceEndPositions == c2.sentenceEndPositions)
    }
}

@Suite struct SpillTests {
    /// Spilling where no file can be made is an `outOfSpace` error naming the directory, not a crash.
    @Test func aSpillThatCannotBeMadeIsAnError() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("c.txt")
        write(randomText(words: 50, sentences: 2_000, length: 3...20, seed: 5), to: file)
        var reader = CorpusReader()
        reader.vocabulary.minCount = 1
        reader.spillBytes = 1024
        reader.spillDirectory = dir.appendingPathComponent("missing").path
        #expect { try reader.read([file.path]) } throws: { error in
            let e = error as? FlyVecError
            return e?.kind == .outOfSpace && e!.reason.contains("missing")
        }
        reader.spillDirectory = dir.path
        #expect(try reader.read([file.path]).1.isMapped)
    }

    @Test func largeIdStreamsAreMemoryMappedAndReadTheSame() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("c.txt")
        write(randomText(words: 300, sentences: 20_000, length: 3...20, seed: 5), to: file)
        var reader = CorpusReader()
        reader.vocabulary.minCount = 1
        let (v1, inMemory, _) = try reader.read([file.path])
        reader.spillBytes = 1024
        let (v2, mapped, _) = try reader.read([file.path])
        #expect(!inMemory.isMapped)
        #expect(mapped.isMapped)
        #expect(mapped.tokenCount > 100_000)
        #expect(v1 == v2)
        #expect(mapped.withIds(Array.init) == inMemory.withIds(Array.init))
        // Training reads the mapped stream exactly as the in-memory one.
        var o = TrainingOptions.classic
        o.hidden = 16
        o.window = 5
        o.batch = 2000
        var rows: [[Float]] = []
        for corpus in [inMemory, mapped] {
            let w = try Windows(corpus: corpus, width: 5, vocabularySize: v1.count)
            let syn = try Synapses(units: 16, inputs: 2 * v1.count, sigma: 0.02, seed: 1)
            let t = try Trainer(synapses: syn, windows: w, counts: v1.counts, options: o, threads: 2)
            t.spillBytes = corpus.isMapped ? 1024 : IdBuffer.defaultSpillBytes
            _ = try t.trainEpoch(0)
            rows.append(syn.row(v1.count + 2))
        }
        #expect(rows[0] == rows[1])
    }
}
