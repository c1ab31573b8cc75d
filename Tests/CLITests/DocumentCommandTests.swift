import Foundation
import Testing
import FlyVec

@Suite(.serialized) struct DocumentCommandTests {
    struct Hit: Decodable, Equatable {
        let id: String, position: Int, similarity: Double, distance: Int, snippet: String
    }
    struct Answer: Decodable {
        let query: String
        let documents: [Hit]?
        let error: String?
    }

    static let sea = ["the ship sails on the water", "fish swim near the shore", "a boat rides the wave"]
    static let court = ["the queen wears a crown", "the prince walks in the palace", "the king sits on his throne"]

    /// A model and an index of six topic documents, an empty line and a line of unknown words.
    func indexed(_ dir: URL, extra: [String] = []) throws -> (model: String, index: String, stderr: String) {
        let model = try trainTopicModel(in: dir, sentences: 3000, hidden: 40)
        let docs = dir.appendingPathComponent("docs.txt")
        let lines = [Self.sea[0], Self.court[0], "", Self.sea[1], "zebra quantum xylophone", Self.court[1], Self.sea[2], Self.court[2]]
        try Data((lines + extra).joined(separator: "\n").utf8).write(to: docs)
        let index = dir.appendingPathComponent("docs.flyindex").path
        let r = try CLI.run(["index", model, docs.path, "-o", index, "-k", "6"])
        #expect(r.status == 0, "\(r.stderr)")
        return (model, index, r.stderr)
    }

    @Test func indexThenSearchFindsTheTopicAndReportsWhatHasNoCode() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, index, stderr) = try indexed(dir)
        #expect(stderr.contains("1 documents have no word the model knows and no code (the first: \(dir.path)/docs.txt:5)"), "\(stderr)")
        #expect(stderr.contains("indexed 6 documents (1 empty skipped)"), "\(stderr)")

        let r = try CLI.run(["search", index, "sail the boat to the shore", "-n", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let answer = try JSONDecoder().decode(Answer.self, from: Data(r.stdout.utf8))
        let hits = try #require(answer.documents)
        #expect(Set(hits.map(\.snippet)) == Set(Self.sea), "\(hits)")
        #expect(hits.allSatisfy { $0.id.hasPrefix("\(dir.path)/docs.txt:") })
        // The same answer as the library's, through the index file and the model it names.
        let library = try #require(try DocumentSearch(index: index).nearest(to: "sail the boat to the shore", count: 3))
        #expect(hits.map(\.id) == library.map(\.id) && hits.map(\.distance) == library.map(\.distance))

        let text = try CLI.run(["search", index, "queen and king", "-n", "2"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(lines.count == 2 && lines.allSatisfy { $0.count == 3 && Self.court.contains(String($0[2])) }, "\(text.stdout)")
    }

    /// `-` reads an index, or a model, from standard input, as it reads a corpus.
    @Test func indexAndModelFromStandardInput() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, index, _) = try indexed(dir)
        let direct = try CLI.run(["search", index, "queen and king", "-n", "2"])
        let search = try CLI.run(["-c", "exec \"$0\" search - 'queen and king' -n 2 < \"$1\"", CLI.binary, index], executable: "/bin/sh")
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout == direct.stdout)
        let codes = dir.appendingPathComponent("c.flycodes").path, again = dir.appendingPathComponent("d.flycodes").path
        #expect(try CLI.run(["codes", model, "-o", codes]).status == 0)
        let fromPipe = try CLI.run(["-c", "exec \"$0\" codes - -o \"$2\" < \"$1\"", CLI.binary, model, again], executable: "/bin/sh")
        #expect(fromPipe.status == 0, "\(fromPipe.stderr)")
        #expect(FileManager.default.contents(atPath: codes) == FileManager.default.contents(atPath: again))
    }

    @Test func queriesFromStandardInputAndQueriesWithNoKnownWord() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, index, _) = try indexed(dir)
        let unknown = try CLI.run(["search", index, "zebra"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no word of the query is known to the model"))
        #expect(unknown.stdout.isEmpty)

        let r = try CLI.run(["search", index, "--json", "-n", "2"], stdin: "crown\nzebra\n\nfish water\n")
        #expect(r.status == 0, "\(r.stderr)")
        let answers = try r.stdout.split(separator: "\n").map { try JSONDecoder().decode(Answer.self, from: Data($0.utf8)) }
        #expect(answers.map(\.query) == ["crown", "zebra", "", "fish water"])
        #expect(answers.map { $0.documents?.count } == [2, nil, nil, 2])
        #expect(answers[1].error != nil && answers[2].error != nil)
    }

    @Test func idsBeforeTabsAndOneDocumentAFile() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try trainTopicModel(in: dir, sentences: 3000, hidden: 40)
        let tabbed = dir.appendingPathComponent("tabbed.txt")
        try Data("s1\tthe ship sails\nk1\tthe queen and the king\n".utf8).write(to: tabbed)
        let index = dir.appendingPathComponent("a.flyindex").path
        #expect(try CLI.run(["index", model, tabbed.path, "--ids", "-o", index, "--quiet"]).status == 0)
        #expect(try CLI.run(["search", index, "crown", "-n", "1"]).stdout.hasPrefix("k1\t"))

        var files: [String] = []
        for (i, text) in ["water and fish\nand a ship", "the crown of the king"].enumerated() {
            let f = dir.appendingPathComponent("doc\(i).txt")
            try Data(text.utf8).write(to: f)
            files.append(f.path)
        }
        #expect(try CLI.run(["index", model] + files + ["--per-file", "-o", index, "--quiet"]).status == 0)
        let r = try CLI.run(["search", index, "boat", "-n", "1", "--json"])
        let hit = try #require(try JSONDecoder().decode(Answer.self, from: Data(r.stdout.utf8)).documents?.first)
        #expect(hit.id == files[0] && hit.snippet == "water and fish and a ship")
    }

    @Test func damagedIndexesAndAnotherModelAreNamed() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, index, _) = try indexed(dir)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: index)))
        bytes[bytes.count / 2] ^= 0xFF
        let bad = dir.appendingPathComponent("bad.flyindex")
        try Data(bytes).write(to: bad)
        let r = try CLI.run(["search", bad.path, "ship"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(bad.path), "\(r.stderr)")

        // A model file is not an index, and an index is not a model.
        #expect(try CLI.run(["search", model, "ship"]).stderr.contains("not a FlyVec index"))

        // Another model (another seed) is refused, naming it.
        let other = dir.appendingPathComponent("other.flyvec").path
        #expect(try CLI.run(["train", dir.appendingPathComponent("c.txt").path, "-o", other, "--min-count", "1",
                             "--no-stop-words", "--hidden", "40", "--seed", "9", "--quiet"]).status == 0)
        let wrong = try CLI.run(["search", index, "ship", "--model", other])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains(other) && wrong.stderr.contains("not the one the index was made with"), "\(wrong.stderr)")

        // The recorded model moved away: the error names where it was looked for.
        try FileManager.default.moveItem(atPath: model, toPath: model + ".moved")
        let moved = try CLI.run(["search", index, "ship"])
        #expect(moved.status == 1 && moved.stderr.contains(model), "\(moved.stderr)")
        #expect(try CLI.run(["search", index, "ship", "--model", model + ".moved"]).status == 0)
    }

    @Test func nothingToIndexWritesNothing() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try trainTopicModel(in: dir, sentences: 3000, hidden: 40)
        let docs = dir.appendingPathComponent("unknown.txt")
        try Data("zebra\n\nquantum xylophone\n".utf8).write(to: docs)
        let index = dir.appendingPathComponent("none.flyindex")
        let r = try CLI.run(["index", model, docs.path, "-o", index.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no document has a word the model knows"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: index.path))
        let missing = try CLI.run(["index", model, dir.appendingPathComponent("absent.txt").path, "-o", index.path])
        #expect(missing.status == 1 && missing.stderr.contains("absent.txt"))
    }
}
