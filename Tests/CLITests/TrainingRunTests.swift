import Foundation
import Testing
import FlyVec

/// The library's training run is the CLI's: the same defaults give the same model, and a run
/// stopped from Swift resumes to the uninterrupted model.
@Suite struct TrainingRunTests {
    /// `TrainingRun` with nothing set and `flyvec train` with no option: the same batch, synapses,
    /// history energies and usage codes.
    @Test func libraryDefaultsAreTheCommandLinesDefaults() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        try Data(topicCorpus(sentences: 3000).utf8).write(to: corpus)
        let cli = dir.appendingPathComponent("cli.flyvec").path
        let r = try CLI.run(["train", corpus.path, "-o", cli, "--min-count", "1", "--no-stop-words", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")

        var run = TrainingRun(corpus: [corpus.path], output: dir.appendingPathComponent("lib.flyvec").path)
        run.reader.vocabulary.minCount = 1
        run.reader.vocabulary.stopWords = []
        var events: [String] = []
        run.report = { event in
            switch event {
            case .read: events.append("read")
            case .started(let o, let windows, _, _):
                events.append("started")
                // The corpus-aware batch, as the option help promises.
                #expect(o.batch == min(10_000, max(1_000, windows / 350)))
            case .epochFinished: events.append("epoch")
            case .madeUsageProfile: events.append("profile")
            case .wrote: events.append("wrote")
            default: break
            }
        }
        let returned = try run.run()
        #expect(events == ["read", "started", "epoch", "profile", "wrote"])
        let a = try ModelFile.read(cli), b = try ModelFile.read(run.output)
        #expect(a.options == b.options && b.options == returned.options)
        #expect(a.options.hidden == TrainingOptions().hidden && a.usage != nil && b.usage != nil)
        #expect(a.history.map(\.energy) == b.history.map(\.energy))
        #expect((0..<a.synapses.inputs).allSatisfy { a.synapses.row($0) == b.synapses.row($0) })
        let codesA = try CodeBook(model: a), codesB = try CodeBook(model: b)
        #expect(codesA.readout == .usage && codesA.words == codesB.words)
        #expect((0..<codesA.count).allSatisfy { codesA.code(at: $0) == codesB.code(at: $0) })
        #expect(!FileManager.default.fileExists(atPath: run.checkpoint))
    }

    /// Stopped by `shouldStop` in its second epoch, a run throws `Stopped` naming the first
    /// epoch's checkpoint and writes no model; resumed, it gives the uninterrupted model.
    @Test func aStoppedRunResumesToTheUninterruptedModel() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        try Data(topicCorpus(sentences: 3000).utf8).write(to: corpus)
        func run(_ name: String) -> TrainingRun {
            var r = TrainingRun(corpus: [corpus.path], output: dir.appendingPathComponent(name).path)
            r.reader.vocabulary.minCount = 1
            r.options = .classic
            r.options.hidden = 32
            r.options.epochs = 3
            r.options.batch = 500
            r.threads = 2
            return r
        }
        let whole = try run("whole.flyvec").run()

        var stopping = run("m.flyvec")
        final class Count: @unchecked Sendable { var batches = 0 }
        let count = Count()
        // 9,000 windows in batches of 500: 18 an epoch, so the 31st is in the second epoch.
        stopping.shouldStop = { count.batches += 1; return count.batches > 30 }
        #expect(throws: TrainingRun.Stopped.self) { try stopping.run() }
        #expect(!FileManager.default.fileExists(atPath: stopping.output))
        let saved = try ModelFile.read(stopping.checkpoint)
        #expect(saved.epochsDone == 1)

        var resumed = run("m.flyvec")
        resumed.options = TrainingOptions()  // ignored on resume: the checkpoint's are used
        resumed.resume = stopping.checkpoint
        let model = try resumed.run()
        #expect(model.options == whole.options)
        #expect(model.history.map(\.energy) == whole.history.map(\.energy))
        #expect((0..<model.synapses.inputs).allSatisfy { model.synapses.row($0) == whole.synapses.row($0) })
        #expect(!FileManager.default.fileExists(atPath: stopping.checkpoint))
    }

    /// A resumed run stopped before its next epoch names the checkpoint it resumed from; a model
    /// whose batch is still to be chosen cannot be written; vocabulary settings are checked.
    @Test func stoppedResumesNameTheirCheckpointAndSettingsAreChecked() throws {
        let dir = tempDir()
        let corpus = dir.appendingPathComponent("c.txt")
        try Data(topicCorpus(sentences: 3000).utf8).write(to: corpus)
        var first = TrainingRun(corpus: [corpus.path], output: dir.appendingPathComponent("a.flyvec").path)
        first.reader.vocabulary.minCount = 1
        first.options = .classic
        first.options.hidden = 16
        first.options.epochs = 3
        final class Count: @unchecked Sendable { var batches = 0 }
        let count = Count()
        first.shouldStop = { count.batches += 1; return count.batches > 12 }  // 9 batches an epoch: in the second
        #expect(throws: TrainingRun.Stopped.self) { try first.run() }
        var resumed = TrainingRun(corpus: [corpus.path], output: dir.appendingPathComponent("b.flyvec").path)
        resumed.resume = first.checkpoint
        resumed.shouldStop = { true }
        #expect { try resumed.run() } throws: { ($0 as? TrainingRun.Stopped)?.checkpoint == first.checkpoint }

        let model = try ModelFile.read(first.checkpoint)
        let fresh = try Model(vocabulary: model.vocabulary, options: TrainingOptions(), tokenizer: model.tokenizer)
        #expect { try ModelFile.write(fresh, to: dir.appendingPathComponent("x.flyvec").path) } throws: {
            ($0 as? FlyVecError)?.kind == .invalidParameter && ($0 as? FlyVecError)?.parameter == "batch"
        }
        var reader = CorpusReader()
        reader.vocabulary.maxSize = 0
        #expect { try reader.read([corpus.path]) } throws: { ($0 as? FlyVecError)?.parameter == "maxSize" }
    }
}
