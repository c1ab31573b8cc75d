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
    }
}
