import Foundation
import Testing
import FlyVec

@Suite struct PostingIndexTests {
    /// `n` random codes of `active` of `bits` bits, some repeated so that ties are common.
    func codes(_ n: Int, bits: Int, active: Int, seed: UInt64) -> [BinaryCode] {
        var rng = SplitMix64(seed: seed)
        var out: [BinaryCode] = []
        for _ in 0..<n {
            if !out.isEmpty && rng.next(below: 10) == 0 {
                out.append(out[Int(rng.next(below: UInt64(out.count)))])
                continue
            }
            var set = Set<Int>()
            // A few popular bits, as trained codes have.
            while set.count < active {
                set.insert(rng.next(below: 3) == 0 ? Int(rng.next(below: UInt64(min(bits, 8)))) : Int(rng.next(below: UInt64(bits))))
            }
            out.append(BinaryCode(bits: bits, active: set))
        }
        return out
    }

    /// The dense scan's answers, the reference, for every query, count and exclusion.
    func expectSameAsScan(_ codes: [BinaryCode], queries: [BinaryCode], bits: Int, k: Int) throws {
        let scan = try HammingIndex(bits: bits, storage: codes.flatMap(\.words))
        let postings = try PostingIndex(scan, k: k)
        #expect(postings.count == codes.count)
        for (q, query) in queries.enumerated() {
            for n in [1, 3, 10, 50, codes.count + 5] {
                #expect(postings.nearest(to: query.activeBits, count: n) == scan.nearest(to: query.words, count: n))
                let skip = (q * 7) % codes.count
                #expect(postings.nearest(to: query.activeBits, count: n, excluding: skip)
                        == scan.nearest(to: query.words, count: n, excluding: skip))
            }
        }
    }

    @Test(arguments: [(400, 16), (2048, 48), (64, 8), (100, 1)])
    func answersAsTheDenseScan(bits: Int, k: Int) throws {
        let all = codes(2000, bits: bits, active: k, seed: UInt64(bits + k))
        // Queries from the index (exact matches) and new ones.
        let queries = Array(all.prefix(10)) + codes(10, bits: bits, active: k, seed: 99)
        try expectSameAsScan(all, queries: queries, bits: bits, k: k)
    }

    @Test func answersAsTheDenseScanBeyondOneBlockOfPositions() throws {
        // More than 65,536 codes: positions are kept as 16 bits within blocks.
        let all = codes(70_000, bits: 32, active: 3, seed: 5)
        let queries = [all[3], all[66_000], all[69_999]] + codes(3, bits: 32, active: 3, seed: 6)
        let scan = try HammingIndex(bits: 32, storage: all.flatMap(\.words))
        let postings = try PostingIndex(scan, k: 3)
        for query in queries {
            for n in [1, 40, 5000] {
                #expect(postings.nearest(to: query.activeBits, count: n) == scan.nearest(to: query.words, count: n))
            }
        }
    }

    @Test(arguments: [(Readout.sum, 5), (.target, 3), (.sumz, 20)])
    func codeBooksAnswerAsTheScanOnRealCodes(readout: Readout, k: Int) throws {
        let book = try CodeBook(model: SmallModel.wide, k: k, readout: readout)
        let postings = try #require(book.postings)
        for (p, word) in book.words.enumerated() {
            let code = book.code(at: p)
            #expect(postings.nearest(to: code.activeBits, count: 7, excluding: p) == book.index.nearest(to: code.words, count: 7, excluding: p))
            #expect(book.nearest(to: word, count: 7)!.map(\.word) == book.index.nearest(to: code.words, count: 7, excluding: p).map { book.words[$0.index] })
        }
    }

    @Test func malformedCodesAreRefused() {
        #expect(throws: FlyVecError.self) { try PostingIndex(bits: 16, k: 2, active: [3, 3]) }
        #expect(throws: FlyVecError.self) { try PostingIndex(bits: 16, k: 2, active: [5, 2]) }
        #expect(throws: FlyVecError.self) { try PostingIndex(bits: 16, k: 2, active: [1, 16]) }
        #expect(throws: FlyVecError.self) { try PostingIndex(bits: 16, k: 2, active: [1, 2, 3]) }
        #expect(throws: FlyVecError.self) { try PostingIndex(bits: 1000, k: 300, active: []) }
        #expect(throws: FlyVecError.self) {
            try PostingIndex(try HammingIndex(bits: 64, storage: [0b111, 0b11]), k: 2)
        }
    }

    @Test func anEmptyIndexFindsNothing() throws {
        #expect(try PostingIndex(bits: 16, k: 2, active: []).nearest(to: [1, 2], count: 5).isEmpty)
    }
}

@Suite struct DocumentHasherTests {
    let model = SmallModel.model

    /// The reference: every token's read-out columns summed in Doubles, then the top k (ties to
    /// the lower unit), for the `sum` read-out.
    func referenceCode(_ text: String, k: Int, weight: (Int) -> Double) -> [Int]? {
        let n = model.vocabulary.count, K = model.options.hidden
        let ids = Tokenizer.sentences(of: text).joined().compactMap { model.vocabulary.id(of: $0) }
        guard !ids.isEmpty else { return nil }
        var v = [Double](repeating: 0, count: K)
        for id in ids {
            for u in 0..<K {
                v[u] += weight(id) * Double(model.synapses.weight(unit: u, input: id) + model.synapses.weight(unit: u, input: n + id))
            }
        }
        return Array(v.indices.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }.prefix(k)).sorted()
    }

    @Test(arguments: DocumentWeighting.allCases)
    func codesAreTheTopOfTheSummedReadouts(weighting: DocumentWeighting) throws {
        let hasher = try DocumentHasher(words: try WordHasher(model: model, readout: .sum), k: 6, weighting: weighting)
        let counts = model.vocabulary.counts, total = Double(counts.reduce(0, +))
        let weight: (Int) -> Double = weighting == .uniform ? { _ in 1 } : { 1e-3 / (1e-3 + Double(counts[$0]) / total) }
        for text in ["the ship sails from the shore", "king and queen. crown, throne and palace!", "fish fish fish water",
                     "a boat near the royal court"] {
            #expect(hasher.code(of: text)?.activeBits == referenceCode(text, k: 6, weight: weight), "\(text)")
        }
    }

    /// With the usage read-out every word adds its profile row scaled to length 1: a one-word
    /// text's drive has length 1 and the word's static code on top, and drives add up.
    @Test func usageDocumentsAddUnitRows() throws {
        let wide = SmallModel.wide
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("c.txt")
        write((0..<200).map { $0 % 2 == 0 ? "sea water ship fish wave sail boat shore" : "king crown throne court queen prince royal palace" }
            .joined(separator: "\n"), to: file)
        let (_, corpus, _) = try CorpusReader().read([file.path], vocabulary: wide.vocabulary)
        let words = try WordHasher(model: wide, k: 5, readout: .usage,
                                   usage: try UsageProfile(model: wide, corpus: corpus, settings: UsageSettings(window: 5)))
        let hasher = try DocumentHasher(words: words, k: 5)
        let ship = wide.vocabulary.id(of: "ship")!, king = wide.vocabulary.id(of: "king")!
        for id in [ship, king] {
            let drive = hasher.drive(of: [id])
            #expect(abs(drive.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) < 1e-3)
            #expect(hasher.code(of: [id]) == words.staticCode(id: id))
        }
        let both = hasher.drive(of: [ship, king]), apart = zip(hasher.drive(of: [ship]), hasher.drive(of: [king])).map { $0 + $1 }
        #expect(zip(both, apart).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func documentsOfATopicAreNearerToEachOther() throws {
        let hasher = try DocumentHasher(words: try WordHasher(model: model, readout: .sum), k: 8)
        let sea = hasher.code(of: "the ship and the boat sail on the water")!
        let sea2 = hasher.code(of: "fish swim near the shore under a wave")!
        let court = hasher.code(of: "the king and the queen sit on the throne")!
        #expect(sea.hammingDistance(to: sea2) < sea.hammingDistance(to: court))
    }

    @Test func textsWithoutKnownWordsHaveNoCode() throws {
        let hasher = try DocumentHasher(words: try WordHasher(model: model))
        #expect(hasher.code(of: "") == nil)
        #expect(hasher.code(of: "   \n ") == nil)
        #expect(hasher.code(of: "zebra quantum") == nil)
        #expect(hasher.code(of: "zebra ship")?.popcount == hasher.k)
    }

    @Test func kOutOfRangeIsRefused() throws {
        let words = try WordHasher(model: model)
        #expect(throws: FlyVecError.self) { try DocumentHasher(words: words, k: 0) }
        #expect(throws: FlyVecError.self) { try DocumentHasher(words: words, k: model.options.hidden + 1) }
    }
}

@Suite struct DocumentIndexTests {
    let model = SmallModel.model

    func settings(_ hasher: DocumentHasher) -> DocumentIndex.Settings {
        DocumentIndex.Settings(hasher: hasher, model: "/models/small.flyvec", fingerprint: ModelFile.fingerprint(of: model))
    }

    @Test func searchFindsTheDocumentsOfTheQuerysTopic() throws {
        let hasher = try DocumentHasher(words: try WordHasher(model: model, readout: .sum), k: 8)
        var index = try DocumentIndex(settings: settings(hasher))
        let docs = ["the ship sails on the water", "the queen wears a crown", "fish near the shore",
                    "the prince in the palace", "a boat on a wave", "the king on his throne"]
        for (i, d) in docs.enumerated() { index.add(id: "d\(i)", snippet: d, code: hasher.code(of: d)!) }
        try index.finish()
        let found = try index.nearest(to: hasher.code(of: "sail a boat to the shore")!, count: 3)
        #expect(Set(found.map(\.id)) == ["d0", "d2", "d4"])
        #expect(found.allSatisfy { $0.snippet == docs[$0.position] && $0.similarity == Double(40 - $0.distance) / 40 })
        // A code of another size is refused, not answered.
        #expect(throws: FlyVecError.self) { try index.nearest(to: BinaryCode(bits: 40, active: [1, 2]), count: 3) }
    }

    @Test func indexFilesRoundTripAndRefuseDamage() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hasher = try DocumentHasher(words: try WordHasher(model: model, readout: .sum), k: 5)
        var index = try DocumentIndex(settings: settings(hasher))
        for i in 0..<300 {
            let text = randomText(words: 8, sentences: 1, length: 3...9, seed: UInt64(i))
                .replacingOccurrences(of: "w", with: " ship crown fish king ".split(separator: " ")[i % 4] + " ")
            index.add(id: "doc \(i) ü", snippet: String(text.prefix(20)), code: hasher.code(of: text)!)
        }
        try index.finish()
        let path = dir.appendingPathComponent("docs.flyindex").path
        try IndexFile.write(index, to: path)
        let back = try IndexFile.read(path)
        #expect(back.settings == index.settings)
        #expect(back.count == 300)
        for i in [0, 17, 299] {
            #expect(back.id(i) == index.id(i) && back.snippet(i) == index.snippet(i) && back.activeBits(i) == index.activeBits(i))
        }
        let query = hasher.code(of: "king crown")!
        #expect(try back.nearest(to: query, count: 20) == index.nearest(to: query, count: 20))

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for damage in [20, bytes.count / 2, bytes.count - 3] {
            var bad = bytes
            bad[damage] ^= 0x5A
            #expect(throws: FlyVecError.self) { try IndexFile.decode(bad, file: "bad.flyindex") }
        }
        #expect(throws: FlyVecError.self) { try IndexFile.decode(Array(bytes.prefix(bytes.count - 10)), file: "short.flyindex") }
        // The streaming reader of files: cut anywhere, or a byte flipped, it names the file.
        let bad = dir.appendingPathComponent("bad.flyindex")
        for cut in [0, 5, 15, 16, 17, 40, bytes.count / 3, bytes.count - 1] {
            write(Array(bytes.prefix(cut)), to: bad)
            #expect(throws: FlyVecError.self) { try IndexFile.read(bad.path) }
        }
        for flip in [3, 13, 30, bytes.count / 2, bytes.count - 2] {
            var damaged = bytes
            damaged[flip] ^= 0x21
            write(damaged, to: bad)
            do {
                _ = try IndexFile.read(bad.path)
                Issue.record("byte \(flip) flipped and read")
            } catch let e as FlyVecError {
                #expect(e.file == bad.path)
            }
        }
        #expect((try? IndexFile.decode(Array("FLYVECC\0".utf8) + bytes.dropFirst(8), file: "x"))  == nil)
    }

    @Test func indexingStreamsTheSameFileOnAnyNumberOfThreads() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs.txt")
        // More documents than one batch, with empty and unknown-word lines among them.
        let topics = ["ship ", "crown ", "fish ", "king "]
        var lines: [String] = []
        for i in 0..<5000 {
            if i % 97 == 0 { lines.append(""); continue }
            if i % 89 == 0 { lines.append("zebra quantum"); continue }
            let text = randomText(words: 8, sentences: 1, length: 2...8, seed: UInt64(i))
            lines.append(text.replacingOccurrences(of: "w", with: topics[i % 4]).trimmingCharacters(in: .newlines))
        }
        write(lines.joined(separator: "\n"), to: docs)
        let hasher = try DocumentHasher(words: try WordHasher(model: model, readout: .sum), k: 5)
        var files: [[UInt8]] = []
        for threads in [1, 3] {
            let out = dir.appendingPathComponent("t\(threads).flyindex").path
            let summary = try DocumentIndexing.build(hasher: hasher, settings: settings(hasher), reader: DocumentReader(files: [docs.path]),
                                                     to: out, threads: threads)
            #expect(summary.empty == lines.filter { $0.isEmpty }.count)
            #expect(summary.withoutKnownWord == lines.filter { $0 == "zebra quantum" }.count)
            #expect(summary.indexed == lines.count - summary.empty - summary.withoutKnownWord)
            files.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: out))))
        }
        #expect(files[0] == files[1])
        // Each document's code is the hasher's code of its line.
        let index = try IndexFile.read(dir.appendingPathComponent("t3.flyindex").path)
        for i in [0, 1000, index.count - 1] {
            let line = Int(index.id(i).split(separator: ":").last!)!
            #expect(index.activeBits(i) == hasher.code(of: lines[line - 1])!.activeBits)
        }
    }

    @Test func indexPayloadChecksBehindAValidChecksum() throws {
        let hasher = try DocumentHasher(words: try WordHasher(model: model, readout: .sum), k: 3)
        var index = try DocumentIndex(settings: settings(hasher))
        index.add(id: "a", snippet: "ship", code: hasher.code(of: "ship water")!)
        index.add(id: "b", snippet: "king", code: hasher.code(of: "king crown")!)
        try index.finish()
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("i.flyindex").path
        try IndexFile.write(index, to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let payload = try bytes.withUnsafeBytes { try Zstd.decompress(UnsafeRawBufferPointer(rebasing: $0[16...])) }
        func sealed(_ p: [UInt8]) throws -> [UInt8] { Array(bytes.prefix(16)) + (try Zstd.compress(p)) }
        #expect(try IndexFile.decode(try sealed(payload), file: "ok").count == 2)
        // The count is the last 8 bytes, the end tag the byte before, and the last code the 3 bytes
        // before that (3 positions of 6 bits: 18 bits in 3 bytes).
        var wrongCount = payload
        wrongCount[payload.count - 8] = 3
        var badTag = payload
        badTag[payload.count - 9] = 7
        var badCode = payload
        badCode[payload.count - 10] = 0xFF
        var trailing = payload
        trailing.append(0)
        for (bad, message) in [(wrongCount, "saying 3 documents"), (badTag, "unknown record tag 7"),
                               (badCode, "not 3 ascending positions"), (trailing, "bytes after the document count"),
                               (Array(payload.dropLast(3)), "truncated")] {
            let file = dir.appendingPathComponent("bad.flyindex")
            write(try sealed(bad), to: file)
            for attempt in [{ try IndexFile.decode(try sealed(bad), file: file.path) }, { try IndexFile.read(file.path) }] {
                do {
                    _ = try attempt()
                    Issue.record("\(message): read")
                } catch let e as FlyVecError {
                    #expect(e.file == file.path && e.reason.contains(message), "\(e)")
                }
            }
        }
        // Settings no reader could hold are refused when writing.
        var huge = settings(hasher)
        huge.k = 300
        #expect(throws: FlyVecError.self) { try IndexFile.write(to: path, settings: huge) { _ in } }
    }

    @Test func aModelFingerprintTellsModelsApart() throws {
        #expect(ModelFile.fingerprint(of: model) == ModelFile.fingerprint(of: SmallModel.model))
        #expect(ModelFile.fingerprint(of: model) != ModelFile.fingerprint(of: SmallModel.wide))
        let index = try DocumentIndex(settings: settings(try DocumentHasher(words: try WordHasher(model: model))))
        #expect(throws: FlyVecError.self) { try DocumentSearch(index: index, model: SmallModel.wide) }
    }
}

@Suite struct DocumentReaderTests {
    func read(_ text: String, unit: DocumentReader.Unit = .line, ids: Bool = false) throws -> [Document] {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("d.txt")
        write(text, to: file)
        var out: [Document] = []
        try DocumentReader(files: [file.path], unit: unit, idsBeforeTab: ids).forEach { out.append($0) }
        return out.map { Document(id: $0.id.replacingOccurrences(of: file.path, with: "F"), text: $0.text, file: "F", line: $0.line) }
    }

    @Test func linesAreDocumentsNumberedFromOne() throws {
        #expect(try read("one\r\n\ntwo\nthree") == [
            Document(id: "F:1", text: "one", file: "F", line: 1), Document(id: "F:2", text: "", file: "F", line: 2),
            Document(id: "F:3", text: "two", file: "F", line: 3), Document(id: "F:4", text: "three", file: "F", line: 4)])
        #expect(try read("a\tfirst text\nb\tsecond\tpart\nno tab\n", ids: true).map { [$0.id, $0.text] }
                == [["a", "first text"], ["b", "second\tpart"], ["F:3", "no tab"]])
        #expect(try read("whole\nfile\n", unit: .file).map { [$0.id, $0.text] } == [["F", "whole\nfile\n"]])
    }

    @Test func linesLongerThanAChunkAreWhole() throws {
        let long = String(repeating: "word ", count: ByteSource.chunkSize / 3)
        let docs = try read("short\n" + long + "\nend\n")
        #expect(docs.map(\.text) == ["short", long, "end"])
    }

    @Test func aMissingFileIsNamed() {
        do {
            try DocumentReader(files: ["/nonexistent/docs.txt"]).forEach { _ in }
            Issue.record("no error")
        } catch let e as FlyVecError {
            #expect(e.file == "/nonexistent/docs.txt")
        } catch {
            Issue.record("\(error)")
        }
    }
}
