import Foundation
import Testing
import FlyVec

/// Runs the built `flyvec` binary as a user would (make test sets FLYVEC_BIN).
struct CLI {
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["FLYVEC_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/release/flyvec").path
    }()

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the binary, or `executable` (a wrapper that starts it: setpriv, a shell), with `args`.
    @discardableResult
    static func run(_ args: [String], stdin: String? = nil, executable: String = binary) throws -> Result {
        let p = start(args, executable: executable)
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func start(_ args: [String], executable: String = binary) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        return p
    }
}

func tempDir() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flyvec-cli-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Two topics, one per sentence, so a few epochs learn visible neighbours.
func topicCorpus(sentences: Int = 4000) -> String {
    var rng = SplitMix64(seed: 2)
    let topics = ["sea water ship fish wave sail boat shore", "king crown throne court queen prince royal palace"]
    return (0..<sentences).map { s in
        let words = topics[s % 2].split(separator: " ")
        return (0..<9).map { _ in String(words[Int(rng.next(below: 8))]) }.joined(separator: " ") + "."
    }.joined(separator: "\n") + "\n"
}

/// Trains a small model on the two-topic corpus in `dir` with the binary; returns the model's path.
func trainTopicModel(in dir: URL, sentences: Int, hidden: Int) throws -> String {
    let corpus = dir.appendingPathComponent("c.txt")
    try Data(topicCorpus(sentences: sentences).utf8).write(to: corpus)
    let model = dir.appendingPathComponent("m.flyvec").path
    let r = try CLI.run(["train", corpus.path, "-o", model, "--min-count", "1", "--no-stop-words",
                         "--hidden", String(hidden), "--quiet"])
    #expect(r.status == 0, "\(r.stderr)")
    return model
}

@Suite(.serialized) struct CLITests {
    @Test func helpListsOptionsWithDefaults() throws {
        let r = try CLI.run(["train", "--help"])
        #expect(r.status == 0)
        for option in ["--hidden", "--window", "--batch", "--epochs", "--lr", "--threads", "--resume", "--preset"] {
            #expect(r.stdout.contains(option), "\(option) missing from help")
        }
        #expect(r.stdout.contains("default: 2048"))
    }

    @Test func vocabCountsAndWritesTSV() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        try Data("The cat sat on the mat. The cat ran\n".utf8).write(to: corpus)
        let out = dir.appendingPathComponent("v.tsv")
        let r = try CLI.run(["vocab", corpus.path, "--min-count", "1", "--no-stop-words", "--max-sentence-fraction", "1", "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tokens      9"))
        #expect(r.stdout.contains("sentences   2"))
        #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("<UNK>\t0\n<NUM>\t0\nthe\t3\ncat\t2\n"))
    }

    @Test func stopWordFileWithCommentLines() throws {
        let dir = tempDir()
        let stop = dir.appendingPathComponent("stop.txt")
        try Data("# comment words here\nthe\ncat sat\n".utf8).write(to: stop)
        let r = try CLI.run(["vocab", "-", "--min-count", "1", "--max-sentence-fraction", "1", "--stop-words", stop.path],
                            stdin: "the cat sat on a comment\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("comment\t1") && r.stdout.contains("on\t1") && r.stdout.contains("a\t1"))
        #expect(!r.stdout.contains("the\t") && !r.stdout.contains("cat\t") && !r.stdout.contains("sat\t"))
    }

    @Test func vocabReadsStandardInput() throws {
        let r = try CLI.run(["vocab", "-", "--min-count", "1", "--no-stop-words", "--max-sentence-fraction", "1"], stdin: "a b a\n")
        #expect(r.status == 0)
        #expect(r.stdout.contains("a\t2\nb\t1\n"))
    }

    @Test func badInputGetsAClearErrorAndNoOutput() throws {
        let dir = tempDir()
        let out = dir.appendingPathComponent("m.flyvec")
        let missing = dir.appendingPathComponent("missing.txt").path
        var r = try CLI.run(["train", missing, "-o", out.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains(missing) && r.stderr.contains("cannot open"))
        let corpus = dir.appendingPathComponent("c.txt")
        try Data(topicCorpus(sentences: 50).utf8).write(to: corpus)
        r = try CLI.run(["train", corpus.path, "-o", out.path, "--window", "2"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--window must be at least 3"))
        r = try CLI.run(["train", corpus.path, "-o", out.path, "--min-count", "100000"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("vocabulary is empty"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["c.txt"])
    }

    @Test func trainThenNearestNeighboursFromStdin() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        try Data(topicCorpus().utf8).write(to: corpus)
        let model = dir.appendingPathComponent("m.flyvec").path
        let train = try CLI.run(["train", corpus.path, "-o", model, "--min-count", "1", "--no-stop-words",
                                 "--hidden", "40", "--window", "5", "--batch", "500", "--epochs", "3", "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        let codes = dir.appendingPathComponent("m.flycodes").path
        #expect(try CLI.run(["codes", model, "-k", "3", "-o", codes]).status == 0)
        // The same codes give the same file, run after run (the JSON header's keys once moved).
        let again = dir.appendingPathComponent("again.flycodes").path
        #expect(try CLI.run(["codes", model, "-k", "3", "-o", again]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: codes)) == Data(contentsOf: URL(fileURLWithPath: again)))
        let r = try CLI.run(["nn", codes, "-n", "3"], stdin: "ship\nunknownword\ncrown\n")
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "\(r.stdout)")
        #expect(r.stderr.contains("'unknownword' is not in the vocabulary"))
        let sea = Set("sea water fish wave sail boat shore".split(separator: " ").map(String.init))
        let first = lines[0].split(separator: " ")
        #expect(sea.contains(String(first[0])), "\(lines)")
        #expect(first[1].count == 6)  // four decimals, e.g. 0.9500
        let json = try CLI.run(["nn", model, "-k", "3", "--query", "ship", "--json"])
        #expect(json.stdout.contains(#""query":"ship""#) && json.stdout.contains(#""neighbors":[{"#), "\(json.stdout)")
        let sim = try CLI.run(["similarity", codes, "ship", "SHIP"])
        #expect(sim.stdout.hasPrefix("1.0000"))
        let ctx = try CLI.run(["context", model, "-k", "3", "The king sat on the throne."])
        #expect(ctx.status == 0 && ctx.stdout.contains("king\t") && ctx.stdout.contains("the\t-"))
        let export = dir.appendingPathComponent("w2v.txt").path
        #expect(try CLI.run(["export", codes, "--format", "word2vec", "-o", export]).status == 0)
        let text = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n")
        // <NUM> never occurs, so the usage read-out gives it no code.
        #expect(text[0] == "16 40")
        #expect(text[1].split(separator: " ").count == 41)
        #expect(try CLI.run(["info", model]).stdout.contains("epochs       3 of 3"))
    }

    @Test func usageReadoutReadsTheCorpusItIsGiven() throws {
        let dir = tempDir()
        let model = try trainTopicModel(in: dir, sentences: 2000, hidden: 40)
        let corpus = dir.appendingPathComponent("c.txt").path
        let classic = dir.appendingPathComponent("classic.flyvec").path
        #expect(try CLI.run(["train", corpus, "-o", classic, "--min-count", "1", "--no-stop-words", "--preset", "classic", "--quiet"]).status == 0)
        let missing = try CLI.run(["codes", classic, "--readout", "usage", "-o", dir.appendingPathComponent("x").path])
        #expect(missing.status != 0 && missing.stderr.contains("--corpus"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
        let codes = dir.appendingPathComponent("u.flycodes").path
        let made = try CLI.run(["codes", model, "-k", "4", "--readout", "usage", "--corpus", corpus, "-o", codes])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try CLI.run(["info", codes]).stdout.contains("usage read-out"))
        let near = try CLI.run(["nn", codes, "--query", "ship", "-n", "3"])
        let sea = Set("sea water fish wave sail boat shore".split(separator: " ").map(String.init))
        let words = near.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(words.count == 3 && words.allSatisfy { sea.contains($0) }, "\(near.stdout)")
        let second = dir.appendingPathComponent("u2.flycodes").path
        let order2 = try CLI.run(["codes", model, "-k", "4", "--readout", "usage", "--usage-order", "2", "--usage-method", "dense", "--corpus", corpus, "-o", second])
        #expect(order2.status == 0, "\(order2.stderr)")
        let near2 = try CLI.run(["nn", second, "--query", "ship", "-n", "3"])
        let words2 = near2.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(words2.count == 3 && words2.allSatisfy { sea.contains($0) }, "\(near2.stdout)")
        let bad = try CLI.run(["codes", model, "--readout", "usage", "--usage-order", "3", "--corpus", corpus, "-o", second + ".x"])
        #expect(bad.status != 0 && bad.stderr.contains("order"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: second + ".x"))
    }

    /// The default training stores a usage profile made from the corpus it encoded: the codes
    /// need no corpus, default to it, and equal the codes of a profile made from the corpus again.
    @Test func defaultModelStoresItsUsageProfile() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        try Data(topicCorpus(sentences: 2000).utf8).write(to: corpus)
        let model = dir.appendingPathComponent("m.flyvec").path
        let r = try CLI.run(["train", corpus.path, "-o", model, "--min-count", "1", "--no-stop-words", "--hidden", "64",
                             "--precision", "float32", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try CLI.run(["info", model]).stdout
        // The directions that stand out (format version 3 when there are some): made again below
        // from the stored settings, the same.
        #expect(info.contains("stored profile: order 2 over 11 words, sparse, log-ratio weights"), "\(info)")
        let stored = dir.appendingPathComponent("s.flycodes").path
        // k by default for a log-ratio profile: K / 8 under K 512, so 8 here.
        #expect(try CLI.run(["codes", model, "-o", stored]).status == 0)
        #expect(try CLI.run(["info", stored]).stdout.contains("64 bits, 8 active, usage read-out"))
        let again = dir.appendingPathComponent("a.flycodes").path
        let made = try CLI.run(["codes", model, "-k", "8", "--readout", "usage", "--corpus", corpus.path, "-o", again])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: stored)) == Data(contentsOf: URL(fileURLWithPath: again)))
        let near = try CLI.run(["nn", stored, "--query", "ship", "-n", "3"])
        let sea = Set("sea water fish wave sail boat shore".split(separator: " ").map(String.init))
        let words = near.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(words.count == 3 && words.allSatisfy { sea.contains($0) }, "\(near.stdout)")
        // With directions taken out (format version 3): the same again, from the stored
        // directions and from ones found afresh.
        let directed = dir.appendingPathComponent("d.flyvec").path
        #expect(try CLI.run(["train", corpus.path, "-o", directed, "--min-count", "1", "--no-stop-words", "--hidden", "64",
                             "--usage-directions", "3", "--quiet"]).status == 0)
        #expect(try CLI.run(["info", directed]).stdout.contains("format version 3"))
        #expect(try CLI.run(["codes", directed, "-o", stored]).status == 0)
        #expect(try CLI.run(["codes", directed, "-k", "8", "--readout", "usage", "--corpus", corpus.path, "-o", again]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: stored)) == Data(contentsOf: URL(fileURLWithPath: again)))
        let zero = try CLI.run(["codes", directed, "-k", "8", "--readout", "usage", "--corpus", corpus.path, "--usage-directions", "0", "-o", again])
        #expect(zero.status == 0, "\(zero.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: stored)) != Data(contentsOf: URL(fileURLWithPath: again)))
        let tuned = try CLI.run(["codes", model, "--usage-order", "1", "-o", again])
        #expect(tuned.status != 0 && tuned.stderr.contains("--corpus"), "\(tuned.stderr)")
        let none = dir.appendingPathComponent("n.flyvec").path
        #expect(try CLI.run(["train", corpus.path, "-o", none, "--min-count", "1", "--no-stop-words", "--hidden", "64",
                             "--no-usage-profile", "--quiet"]).status == 0)
        #expect(try CLI.run(["info", none]).stdout.contains("format version 1"))
        #expect(try CLI.run(["codes", none, "-o", again]).status == 0)
        #expect(try CLI.run(["info", again]).stdout.contains("16 active, sum read-out"))
        // Synapses beyond half precision's range: the model is written in float32 and still reads.
        let huge = dir.appendingPathComponent("h.flyvec").path
        #expect(try CLI.run(["train", corpus.path, "-o", huge, "--min-count", "1", "--no-stop-words", "--hidden", "64",
                             "--sigma", "100000", "--quiet"]).status == 0)
        #expect(try CLI.run(["codes", huge, "-o", again]).status == 0)
        let forced = try CLI.run(["train", corpus.path, "-o", huge + ".x", "--min-count", "1", "--no-stop-words", "--hidden", "64",
                                  "--sigma", "100000", "--precision", "float16", "--quiet"])
        #expect(forced.status != 0 && forced.stderr.contains("half precision"), "\(forced.stderr)")
        #expect(!FileManager.default.fileExists(atPath: huge + ".x"))
    }

    /// Each preset trains with the settings its help names.
    @Test(arguments: [
        ("reference", ["hidden units 400;", "window 11;", "batch 10000;", "lr 0.0002;", "f = count^-1.0", "epochs       15 of 15"]),
        ("classic", ["hidden units 400;", "window 7;", "lr 0.1;", "f = count^-1.0", "epochs       5 of 5"]),
        ("flyvec", ["hidden units 2048;", "window 7;", "lr 0.1;", "f = count^-0.75", "epochs       1 of 1",
                    "stored profile: order 2 over 11 words, sparse, log-ratio weights", "strongest directions removed (codes default to it, k 64)"]),
        ("count-weights", ["format version 3", "hidden units 2048;", "f = count^-0.75", "epochs       1 of 1",
                           "stored profile: order 2 over 11 words, sparse, weights count^-0.5", "16 strongest directions removed", "k 32)"]),
        ("whole-profile", ["format version 2", "hidden units 2048;", "f = count^-0.75", "epochs       1 of 1", "0 strongest directions removed"]),
        ("wide", ["hidden units 4096;", "window 7;", "lr 0.1;", "f = count^-0.75", "epochs       1 of 1"]),
    ])
    func presetsTrainWithTheirSettings(preset: String, expected: [String]) throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        // Sentences of 18 words: the reference's window is 11.
        let lines: [String] = topicCorpus(sentences: 600).split(separator: "\n").map { String($0.dropLast()) }
        let text: [String] = stride(from: 0, to: lines.count, by: 2).map { (i: Int) -> String in "\(lines[i]) \(lines[i + 1])." }
        try Data(text.joined(separator: "\n").utf8).write(to: corpus)
        let model = dir.appendingPathComponent("m.flyvec").path
        let r = try CLI.run(["train", corpus.path, "-o", model, "--min-count", "1", "--no-stop-words", "--preset", preset, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try CLI.run(["info", model]).stdout
        for text in expected { #expect(info.contains(text), "\(text) not in \(info)") }
    }

    /// Runs `flyvec train ARGS`, sends `signal` once `checkpoint` holds more than `after` epochs
    /// (polling it), and returns the ended process.
    func signalTraining(_ args: [String], checkpoint: String, after: Int, with signal: Int32) throws -> Process {
        let p = CLI.start(["train"] + args)
        try p.run()
        while p.isRunning && ((try? ModelFile.read(checkpoint).epochsDone) ?? 0) <= after { usleep(2000) }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        return p
    }

    /// Trains `args` (with `epochs` epochs) uninterrupted, then stops it twice with `signal` — the
    /// second time in the resumed run — checking each stop with `stopped`, resumes it to the end,
    /// and expects the uninterrupted run's synapses and energies.
    func stopTwiceThenResume(signal: Int32, epochs: Int, stopped: (Process) -> Bool) throws {
        let dir = tempDir()
        let corpus = CLI.root.appendingPathComponent("corpora/kjv.txt.zst").path
        let args = ["--hidden", "64", "--epochs", String(epochs), "--quiet"]
        let whole = dir.appendingPathComponent("whole.flyvec").path
        #expect(try CLI.run(["train", corpus, "-o", whole] + args).status == 0)
        let out = dir.appendingPathComponent("m.flyvec").path
        let checkpoint = out + ".checkpoint"
        var done = 0
        for run in 0..<2 {
            let p = try signalTraining(run == 0 ? [corpus, "-o", out] + args : [corpus, "-o", out, "--resume", checkpoint, "--quiet"],
                                       checkpoint: checkpoint, after: done, with: signal)
            #expect(stopped(p), "run \(run) was not stopped: \(p.terminationReason), status \(p.terminationStatus)")
            #expect(!FileManager.default.fileExists(atPath: out))
            let saved = try ModelFile.read(checkpoint)
            #expect(saved.epochsDone > done && saved.epochsDone < epochs && !saved.isComplete)
            done = saved.epochsDone
        }
        let r = try CLI.run(["train", corpus, "-o", out, "--resume", checkpoint, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let a = try ModelFile.read(whole), b = try ModelFile.read(out)
        #expect(a.epochsDone == epochs && b.epochsDone == epochs)
        #expect(a.history.map(\.energy) == b.history.map(\.energy))
        #expect((0..<a.synapses.inputs).allSatisfy { a.synapses.row($0) == b.synapses.row($0) })
    }

    /// SIGKILL twice (once in the resumed run): the checkpoint stays complete and the run resumes
    /// to the uninterrupted model.
    @Test func killedTrainingResumesToTheSameModel() throws {
        try stopTwiceThenResume(signal: SIGKILL, epochs: 6) { $0.terminationReason == .uncaughtSignal }
    }

    /// Ctrl-C: training stops after the current batch with exit status 130, writes no model and
    /// keeps the last epoch's checkpoint; interrupted twice (the second time while resumed) and
    /// resumed to the end, it gives the uninterrupted run's model.
    @Test func interruptedTrainingExits130AndResumesToTheSameModel() throws {
        try stopTwiceThenResume(signal: SIGINT, epochs: 8) { $0.terminationReason == .exit && $0.terminationStatus == 130 }
    }
}
