import Foundation
import Testing
import FlyVec

/// What the CLI prints and exports, read back the way users read it: JSON through `JSONDecoder`,
/// `.npy` and word2vec text parsed to bits, `eval` against a Spearman computed here.
@Suite(.serialized) struct OutputTests {
    struct EvalJSON: Decodable {
        struct Result: Decodable {
            let dataset: String
            let spearman: Double
            let pairs: Int
            let oov: Int
            let oov_pairs: [[String]]
        }
        let k: Int
        let bits: Int
        let readout: String
        let results: [Result]
    }

    struct NeighboursJSON: Decodable {
        struct Neighbour: Decodable {
            let word: String
            let similarity: Double
        }
        let query: String
        let neighbors: [Neighbour]?
        let error: String?
    }

    /// Spearman's correlation from its definition: Pearson's over ranks, ties given their mean rank.
    func spearman(_ x: [Double], _ y: [Double]) -> Double {
        func ranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var r = [Double](repeating: 0, count: v.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
                for t in i...j { r[order[t]] = Double(i + j) / 2 + 1 }
                i = j + 1
            }
            return r
        }
        let a = ranks(x), b = ranks(y)
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        let cov = zip(a, b).map { ($0 - ma) * ($1 - mb) }.reduce(0, +)
        let va = a.map { ($0 - ma) * ($0 - ma) }.reduce(0, +), vb = b.map { ($0 - mb) * ($0 - mb) }.reduce(0, +)
        return cov / (va * vb).squareRoot()
    }

    @Test func evalTextAndJSONAgreeWithASpearmanComputedHere() throws {
        let dir = tempDir()
        let model = try trainTopicModel(in: dir, sentences: 2000, hidden: 64)
        let codes = dir.appendingPathComponent("m.flycodes").path
        #expect(try CLI.run(["codes", model, "-k", "6", "--readout", "sum", "-o", codes]).status == 0)
        let pairsFile = dir.appendingPathComponent("pairs.tsv")
        let pairs: [(String, String, Double)] = [("sea", "water", 9), ("ship", "boat", 8), ("sea", "king", 1),
                                                 ("wave", "crown", 2), ("queen", "prince", 7.5), ("ship", "xyzzy", 5)]
        try Data(pairs.map { "\($0.0)\t\($0.1)\t\($0.2)" }.joined(separator: "\n").utf8).write(to: pairsFile)
        let book = try CodeFile.read(codes)
        let known = pairs.filter { book.contains($0.0) && book.contains($0.1) }
        let expected = spearman(known.map { book.similarity($0.0, $0.1)! }, known.map(\.2))

        let text = try CLI.run(["eval", codes, pairsFile.path])
        #expect(text.status == 0, "\(text.stderr)")
        let line = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("pairs.tsv") })
        let fields = line.split(separator: "\t")
        #expect(fields[1] == "Spearman \(String(format: "%.4f", expected))", "\(line)")
        #expect(fields[2] == "5 pairs" && fields[3] == "1 out of vocabulary", "\(line)")

        let json = try CLI.run(["eval", codes, pairsFile.path, "--json"])
        let decoded = try JSONDecoder().decode(EvalJSON.self, from: Data(json.stdout.utf8))
        #expect(decoded.k == 6 && decoded.bits == 64 && decoded.readout == "sum")
        let result = try #require(decoded.results.first)
        #expect(abs(result.spearman - expected) < 5e-5)
        #expect(result.pairs == 5 && result.oov == 1 && result.oov_pairs == [["ship", "xyzzy"]])
        #expect(try CLI.run(["eval", codes]).status != 0)
    }

    @Test func nearestNeighboursJSONDecodes() throws {
        let dir = tempDir()
        let model = try trainTopicModel(in: dir, sentences: 2000, hidden: 64)
        let codes = dir.appendingPathComponent("m.flycodes").path
        #expect(try CLI.run(["codes", model, "-o", codes]).status == 0)
        let book = try CodeFile.read(codes)
        let r = try CLI.run(["nn", codes, "--query", "Ship", "-n", "4", "--json"])
        let decoded = try JSONDecoder().decode(NeighboursJSON.self, from: Data(r.stdout.utf8))
        #expect(decoded.query == "ship" && decoded.error == nil)
        let expected = book.nearest(to: "ship", count: 4)!
        #expect(decoded.neighbors?.map(\.word) == expected.map(\.word))
        for (got, want) in zip(decoded.neighbors ?? [], expected) { #expect(abs(got.similarity - want.similarity) < 5e-5) }
        let missing = try CLI.run(["nn", codes, "--query", "xyzzy", "--json"])
        #expect(missing.status != 0)
        let error = try JSONDecoder().decode(NeighboursJSON.self, from: Data(missing.stdout.utf8))
        #expect(error.query == "xyzzy" && error.neighbors == nil && error.error != nil)
    }

    @Test func tokenizePrintsOneSentenceALine() throws {
        let dir = tempDir()
        let file = dir.appendingPathComponent("t.txt")
        try Data("Hello, World. Don't stop 42 times?\nNext\tline!\nÉté café\n".utf8).write(to: file)
        let r = try CLI.run(["tokenize", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "hello world\ndont stop <NUM> times\nnext line\nété café\n")
        let ascii = try CLI.run(["tokenize", "--ascii", file.path])
        #expect(ascii.stdout.hasSuffix("next line\nt caf\n"), "\(ascii.stdout)")
        let stdin = try CLI.run(["tokenize", "-"], stdin: "One. Two\n")
        #expect(stdin.stdout == "one\ntwo\n")
    }

    /// Both export formats parsed back to each word's bits, which must be the code book's.
    @Test func exportsReadBackToTheCodeBooksBits() throws {
        let dir = tempDir()
        let model = try trainTopicModel(in: dir, sentences: 2000, hidden: 64)
        let codes = dir.appendingPathComponent("m.flycodes").path
        #expect(try CLI.run(["codes", model, "-o", codes]).status == 0)
        let book = try CodeFile.read(codes)
        func bits(of word: String) -> [Bool] {
            let code = book.code(for: word)!
            return (0..<book.bits).map { code[$0] }
        }

        let npy = dir.appendingPathComponent("c.npy").path
        #expect(try CLI.run(["export", codes, "--format", "npy", "-o", npy]).status == 0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: npy)))
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        let rowBytes = (book.bits + 7) / 8
        #expect(header.contains("'descr': '|u1'") && header.contains("'shape': (\(book.count), \(rowBytes))"), "\(header)")
        let words = try String(contentsOfFile: npy + ".words.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(words == book.words)
        #expect(bytes.count == 10 + headerLength + book.count * rowBytes)
        for (i, word) in words.enumerated() {
            let row = bytes[(10 + headerLength + i * rowBytes)...]
            let unpacked = (0..<book.bits).map { row[row.startIndex + $0 / 8] >> UInt8($0 % 8) & 1 == 1 }
            #expect(unpacked == bits(of: word), "\(word)")
        }

        let text = dir.appendingPathComponent("c.txt").path
        #expect(try CLI.run(["export", codes, "--format", "word2vec", "-o", text]).status == 0)
        let lines = try String(contentsOfFile: text, encoding: .utf8).split(separator: "\n")
        #expect(lines[0] == "\(book.count) \(book.bits)")
        #expect(lines.count == book.count + 1)
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ")
            #expect(fields.count == book.bits + 1)
            #expect(fields.dropFirst().map { $0 == "1" } == bits(of: String(fields[0])), "\(fields[0])")
            #expect(fields.dropFirst().allSatisfy { $0 == "0" || $0 == "1" })
        }
        // Standard output gets the same bytes as the file.
        let piped = try CLI.run(["export", codes, "--format", "word2vec", "-o", "-"])
        let written = try String(contentsOfFile: text, encoding: .utf8)
        #expect(piped.status == 0 && piped.stdout == written)
        #expect(!FileManager.default.fileExists(atPath: "-"))

        // word2vec's binary format, read as its reader does: a header line, then per word the word
        // up to a space, K little-endian float32 values and a newline.
        let binary = dir.appendingPathComponent("c.bin").path
        #expect(try CLI.run(["export", codes, "--format", "word2vec-binary", "-o", binary]).status == 0)
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: binary)))
        var at = b.firstIndex(of: 0x0A)! + 1
        #expect(String(decoding: b[..<(at - 1)], as: UTF8.self) == "\(book.count) \(book.bits)")
        var seen: [String] = []
        while at < b.count {
            let space = b[at...].firstIndex(of: 0x20)!
            let word = String(decoding: b[at..<space], as: UTF8.self)
            at = space + 1
            let values = (0..<book.bits).map { j in
                Float(bitPattern: UInt32(b[at + 4 * j]) | UInt32(b[at + 4 * j + 1]) << 8 | UInt32(b[at + 4 * j + 2]) << 16 | UInt32(b[at + 4 * j + 3]) << 24)
            }
            at += 4 * book.bits
            #expect(b[at] == 0x0A)
            at += 1
            #expect(values.allSatisfy { $0 == 0 || $0 == 1 })
            #expect(values.map { $0 == 1 } == bits(of: word), "\(word)")
            seen.append(word)
        }
        #expect(seen == book.words)
    }

    struct InfoJSON: Decodable {
        struct Model: Decodable {
            let words: Int
            let epochsDone: Int
            let defaultReadout: String
            let defaultK: Int
            let options: TrainingOptions
        }
        struct Codes: Decodable {
            let words: Int
            let bits: Int
            let k: Int
            let readout: String
        }
        let kind: String
        let version: UInt32
        let model: Model?
        let codes: Codes?
    }

    /// `--json` on info, similarity, context, vocab and train, decoded and checked against the
    /// library's answers.
    @Test func everyJSONOutputDecodesToTheLibrarysAnswers() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        try Data(topicCorpus(sentences: 2000).utf8).write(to: corpus)
        let model = dir.appendingPathComponent("m.flyvec").path
        struct TrainJSON: Decodable {
            struct Corpus: Decodable { let tokens: Int; let words: Int }
            let output: String
            let corpus: Corpus?
            let options: TrainingOptions
            let windows: Int
            let history: [EpochResult]
        }
        let trained = try CLI.run(["train", corpus.path, "-o", model, "--min-count", "1", "--no-stop-words", "--hidden", "64", "--quiet", "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let t = try JSONDecoder().decode(TrainJSON.self, from: Data(trained.stdout.utf8))
        let m = try ModelFile.read(model)
        #expect(t.output == model && t.options == m.options && t.history == m.history)
        #expect(t.corpus?.tokens == 18_000 && t.corpus?.words == m.vocabulary.count - 2 && t.windows == 6_000)

        let info = try JSONDecoder().decode(InfoJSON.self, from: Data(try CLI.run(["info", model, "--json"]).stdout.utf8))
        #expect(info.kind == "model" && info.version == ((m.usage?.directions.count ?? 0) > 0 ? 3 : 2) && info.codes == nil)
        #expect(info.model?.options == m.options && info.model?.epochsDone == 1 && info.model?.words == m.vocabulary.count - 2)
        #expect(info.model?.defaultReadout == "usage" && info.model?.defaultK == 8)
        let codes = dir.appendingPathComponent("m.flycodes").path
        #expect(try CLI.run(["codes", model, "-o", codes]).status == 0)
        let book = try CodeFile.read(codes)
        let codeInfo = try JSONDecoder().decode(InfoJSON.self, from: Data(try CLI.run(["info", codes, "--json"]).stdout.utf8))
        #expect(codeInfo.kind == "codes" && codeInfo.model == nil)
        #expect(codeInfo.codes?.words == book.count && codeInfo.codes?.bits == 64 && codeInfo.codes?.k == book.k && codeInfo.codes?.readout == "usage")

        struct SimilarityJSON: Decodable { let first: String; let second: String; let similarity: Double; let hamming: Int; let bits: Int }
        let sim = try JSONDecoder().decode(SimilarityJSON.self, from: Data(try CLI.run(["similarity", codes, "Ship", "crown", "--json"]).stdout.utf8))
        #expect(sim.first == "ship" && sim.second == "crown" && sim.bits == 64)
        #expect(sim.similarity == book.similarity("ship", "crown") && sim.hamming == book.hammingDistance("ship", "crown"))

        struct ContextJSON: Decodable {
            struct Token: Decodable {
                struct Neighbour: Decodable { let word: String; let similarity: Double }
                let token: String
                let neighbors: [Neighbour]?
            }
            let sentences: [[Token]]
        }
        let text = "The ship sailed. A king!"
        let ctx = try JSONDecoder().decode(ContextJSON.self, from: Data(try CLI.run(["context", model, text, "-n", "2", "--json"]).stdout.utf8))
        let hasher = try WordHasher(model: m)
        let expected = hasher.contextualCodes(of: text)
        let neighbours = try CodeBook(hasher: hasher)
        #expect(ctx.sentences.map { $0.map(\.token) } == expected.map { $0.map(\.token) })
        for (got, want) in zip(ctx.sentences.joined(), expected.joined()) {
            #expect(got.neighbors?.map(\.word) == want.code.map { neighbours.nearest(to: $0, count: 2).map(\.word) })
        }
        #expect(ctx.sentences[0][0].neighbors == nil)  // "the": not in this vocabulary

        struct VocabJSON: Decodable {
            struct Corpus: Decodable { let tokens: Int; let sentences: Int; let words: Int; let coverage: Double }
            struct Entry: Decodable { let word: String; let count: Int }
            let corpus: Corpus
            let vocabulary: [Entry]?
        }
        let vocab = try JSONDecoder().decode(VocabJSON.self, from: Data(try CLI.run(["vocab", corpus.path, "--min-count", "1", "--no-stop-words", "--json"]).stdout.utf8))
        #expect(vocab.corpus.tokens == 18_000 && vocab.corpus.sentences == 2000 && vocab.corpus.coverage == 1)
        #expect(vocab.vocabulary?.map(\.word) == m.vocabulary.words && vocab.vocabulary?.map(\.count) == m.vocabulary.counts)
    }

    /// `--pretokenized`: phrases such as `Sea_Port` are words of their own, in training, in the
    /// stored model, in contextual codes and in `tokenize`.
    @Test func pretokenizedTextTrainsPhrasesAsWords() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        let text = topicCorpus(sentences: 2000).replacingOccurrences(of: "ship", with: "Sea_Port")
            .replacingOccurrences(of: ".", with: "")
        try Data(text.utf8).write(to: corpus)
        let tokens = try CLI.run(["tokenize", "--pretokenized", corpus.path])
        #expect(tokens.stdout == text)
        let model = dir.appendingPathComponent("m.flyvec").path
        let r = try CLI.run(["train", corpus.path, "-o", model, "--pretokenized", "--min-count", "1", "--no-stop-words",
                             "--hidden", "64", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try ModelFile.read(model)
        #expect(m.tokenizer.pretokenized && m.vocabulary.id(of: "Sea_Port") != nil && m.vocabulary.id(of: "ship") == nil)
        let book = try CodeBook(model: m)
        let near = book.nearest(to: "Sea_Port", count: 3)!.map(\.word)
        let sea = Set("sea water fish wave sail boat shore".split(separator: " ").map(String.init))
        #expect(near.allSatisfy { sea.contains($0) }, "\(near)")
        // Contextual codes tokenize the text as the model was trained: Sea_Port is one word.
        let ctx = try CLI.run(["context", model, "the Sea_Port fish", "-n", "1"])
        #expect(ctx.status == 0 && ctx.stdout.contains("Sea_Port\t") && ctx.stdout.contains("the\t-"), "\(ctx.stdout)")
        // Queries find the word as typed (the model keeps case), and lower-cased words as before.
        let nn = try CLI.run(["nn", model, "--query", "Sea_Port", "-n", "1"])
        #expect(nn.status == 0 && sea.contains(String(nn.stdout.split(separator: " ")[0])), "\(nn.stdout)\(nn.stderr)")
        #expect(try CLI.run(["similarity", model, "Sea_Port", "FISH"]).status == 0)
    }

    /// `flyvec phrases` joins a frequent pair in the text it writes; trained on with
    /// `--pretokenized`, the phrase has a code. Standard input is refused (read twice).
    @Test func phrasesWritesJoinedTextThatTrains() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        let text = topicCorpus(sentences: 2000).replacingOccurrences(of: "ship", with: "sea port")
        try Data(text.utf8).write(to: corpus)
        let joined = dir.appendingPathComponent("j.txt").path
        let r = try CLI.run(["phrases", corpus.path, "-o", joined, "--threshold", "0.01", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try String(contentsOfFile: joined, encoding: .utf8)
        #expect(out.contains("sea_port"))
        let piped = try CLI.run(["phrases", corpus.path, "-o", "-", "--threshold", "0.01", "--quiet"])
        #expect(piped.stdout == out)
        #expect(try CLI.run(["phrases", "-", "-o", joined]).status != 0)
        let model = dir.appendingPathComponent("m.flyvec").path
        #expect(try CLI.run(["train", joined, "-o", model, "--pretokenized", "--min-count", "1", "--no-stop-words",
                             "--hidden", "64", "--quiet"]).status == 0)
        #expect(try CodeBook(model: ModelFile.read(model)).contains("sea_port"))
    }
}
