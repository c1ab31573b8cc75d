import Foundation
import Testing
import FlyVec

/// Bad input through the real binary: a clear message naming the file, a non-zero exit, no output
/// file left behind. Each test backs a row of docs/RELIABILITY.md.
@Suite struct HostileInputTests {
    func corpus(_ bytes: [UInt8], name: String = "c.txt") -> (URL, URL) {
        let dir = tempDir()
        let file = dir.appendingPathComponent(name)
        try! Data(bytes).write(to: file)
        return (dir, file)
    }

    func onlyInput(_ dir: URL) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.path).count) == 1
    }

    @Test func emptyFile() throws {
        let (dir, file) = corpus([])
        let r = try CLI.run(["train", file.path, "-o", dir.appendingPathComponent("m").path])
        #expect(r.status == 1 && r.stderr.contains(file.path) && r.stderr.contains("no tokens"))
        #expect(onlyInput(dir))
    }

    @Test func onlyStopWords() throws {
        let (dir, file) = corpus(Array(String(repeating: "the and of to in a is that.\n", count: 200).utf8))
        let r = try CLI.run(["train", file.path, "-o", dir.appendingPathComponent("m").path, "--min-count", "1"])
        #expect(r.status == 1 && r.stderr.contains("vocabulary is empty"))
        #expect(onlyInput(dir))
    }

    @Test func binaryGarbageAndNULBytes() throws {
        var rng = SplitMix64(seed: 3)
        let garbage = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let (dir, file) = corpus(garbage)
        // Garbage is dropped as invalid UTF-8 or punctuation; what is left has no full vocabulary.
        let r = try CLI.run(["vocab", file.path, "-o", dir.appendingPathComponent("v.tsv").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("invalid UTF-8 sequences dropped"))
        let strict = try CLI.run(["vocab", file.path, "--strict"])
        #expect(strict.status == 1 && strict.stderr.contains("invalid UTF-8") && strict.stderr.contains("byte "))
    }

    @Test func invalidUTF8InTheMiddleIsNamedByLine() throws {
        let text = Array(String(repeating: "good words here\n", count: 100).utf8) + [0xC3, 0x28] + Array("more\n".utf8)
        let (_, file) = corpus(text)
        let r = try CLI.run(["vocab", file.path, "--strict"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(file.path): byte 1600 (line 101): invalid UTF-8"), "\(r.stderr)")
    }

    @Test func truncatedZstdAtSeveralPoints() throws {
        let packed = try Zstd.compress(Array(topicCorpus(sentences: 3000).utf8))
        for cut in [1, 4, 10, packed.count / 3, packed.count - 2] {
            let (dir, file) = corpus(Array(packed[..<cut]), name: "c.zst")
            let r = try CLI.run(["train", file.path, "-o", dir.appendingPathComponent("m").path])
            #expect(r.status == 1, "cut \(cut)")
            #expect(r.stderr.contains(file.path), "cut \(cut): \(r.stderr)")
            #expect(onlyInput(dir))
        }
    }

    @Test func directoryAndUnreadableFile() throws {
        let dir = tempDir()
        var r = try CLI.run(["vocab", dir.path])
        #expect(r.status == 1 && r.stderr.contains("is a directory"))
        let file = dir.appendingPathComponent("locked.txt")
        try Data("a b c\n".utf8).write(to: file)
        chmod(file.path, 0)
        defer { chmod(file.path, 0o644) }
        if getuid() != 0 {
            r = try CLI.run(["vocab", file.path])
        } else {
            // Root reads anything: run the binary as nobody (CI runs as root).
            chmod(dir.path, 0o755)
            r = try CLI.run(["--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary, "vocab", file.path], executable: "/usr/bin/setpriv")
        }
        #expect(r.status == 1 && r.stderr.contains("\(file.path): cannot open: Permission denied"), "\(r.stderr)")
    }

    @Test func sameCorpusTwiceCountsTwice() throws {
        let (_, file) = corpus(Array("alpha beta gamma\n".utf8))
        let once = try CLI.run(["vocab", file.path, "--min-count", "1", "--max-sentence-fraction", "1"])
        let twice = try CLI.run(["vocab", file.path, file.path, "--min-count", "1", "--max-sentence-fraction", "1"])
        #expect(once.stdout.contains("alpha\t1") && twice.stdout.contains("alpha\t2"))
    }

    @Test(arguments: [
        (["--window", "0"], "--window must be at least 3"), (["--hidden", "0"], "--hidden must be at least 2"),
        (["--batch", "0"], "--batch must be at least 1"), (["--epochs", "0"], "--epochs must be at least 1"),
        (["--lr", "0"], "--lr must be a positive number"), (["--lr=-1"], "--lr must be a positive number"),
        (["--threads", "0"], "--threads must be at least 1"), (["--vocab-size", "0"], "--vocab-size must be at least 1"),
        (["--min-count=-3"], "--min-count must be at least 1"),
    ])
    func absurdTrainingOptions(args: [String], message: String) throws {
        let (dir, file) = corpus(Array(topicCorpus(sentences: 100).utf8))
        let r = try CLI.run(["train", file.path, "-o", dir.appendingPathComponent("m").path] + args)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(onlyInput(dir))
    }

    /// Synapses beyond the memory the process may have (here 1.35 GB under a 1 GB address-space
    /// limit, K 65536 on the shipped corpus) are an error that says so, not a crash, and leave
    /// nothing behind. One malloc arena, so that a many-core host's arenas do not use up the
    /// limit first.
    @Test func synapsesBeyondMemoryAreAnError() throws {
        let dir = tempDir()
        let corpus = CLI.root.appendingPathComponent("corpora/kjv.txt.zst").path
        let r = try CLI.run(["-c", "ulimit -v 1000000 && MALLOC_ARENA_MAX=1 exec \"$0\" train \"$1\" --hidden 65536 -o \"$2\"",
                             CLI.binary, corpus, dir.appendingPathComponent("m.flyvec").path], executable: "/bin/sh")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("out of memory") && r.stderr.contains("K 65536"), "\(r.stderr)")
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir.path)).isEmpty)
    }

    @Test func kLargerThanKIsRefused() throws {
        let dir = tempDir()
        let model = try trainTopicModel(in: dir, sentences: 400, hidden: 20)
        let r = try CLI.run(["codes", model, "-k", "21", "-o", dir.appendingPathComponent("c").path])
        #expect(r.status == 1 && r.stderr.contains("-k must be between 1 and K = 20"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c").path))
    }
}

@Suite struct ConcurrentUseTests {
    @Test func eightThreadsQueryWhileAnotherLoads() throws {
        let dir = tempDir()
        let model = try trainTopicModel(in: dir, sentences: 1000, hidden: 64)
        let codes = dir.appendingPathComponent("m.flycodes").path
        #expect(try CLI.run(["codes", model, "-k", "8", "--readout", "sum", "-o", codes]).status == 0)
        let book = try CodeFile.read(codes)
        let serial = book.words.map { book.nearest(to: $0, count: 5)! }
        final class Results: @unchecked Sendable {
            var answers = [[[CodeBook.Match]]](repeating: [], count: 8)
            var loaded: CodeBook?
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 9) { t in
            if t == 8 {
                results.loaded = try? CodeBook(model: try ModelFile.read(model), k: 8, readout: .sum)
                return
            }
            var mine: [[CodeBook.Match]] = []
            for _ in 0..<20 { mine = book.words.map { book.nearest(to: $0, count: 5)! } }
            results.answers[t] = mine
        }
        for t in 0..<8 { #expect(results.answers[t] == serial) }
        #expect(results.loaded?.index.storage == book.index.storage)
    }
}

@Suite struct KillTests {
    /// The file-size limit (`ulimit -f`, in KB) reached while the model is written, after its first
    /// 4 MB block: a clear error naming the model, a non-zero exit, the previous model kept and no
    /// temporary file.
    @Test func fileSizeLimitWhileWritingTheModel() throws {
        let dir = tempDir()
        let corpus = CLI.root.appendingPathComponent("corpora/kjv.txt.zst").path
        let model = dir.appendingPathComponent("m.flyvec").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: model))
        let script = "ulimit -f 6001; exec \"$0\" train \"$1\" -o \"$2\" --epochs 1 --quiet"
        let r = try CLI.run(["-c", script, CLI.binary, corpus, model], executable: "/bin/bash")
        #expect(r.status == 1, "\(r.status): \(r.stderr)")
        #expect(r.stderr.contains(model) && r.stderr.contains("too large"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.flyvec"])
    }

    /// SIGKILL at many moments during `flyvec codes`, spread over a whole run's own duration (measured
    /// first) and past it: the destination holds the previous file or the complete new one, never a
    /// partial one; some runs are killed and some finish, so the kills reached the run's end, where
    /// the file is written.
    @Test func killedCodesLeaveTheOldOrTheNewFile() throws {
        let dir = tempDir()
        let corpus = CLI.root.appendingPathComponent("corpora/kjv.txt.zst").path
        let model = dir.appendingPathComponent("m.flyvec").path
        #expect(try CLI.run(["train", corpus, "-o", model, "--epochs", "1", "--quiet"]).status == 0)
        let codes = dir.appendingPathComponent("c.flycodes").path
        #expect(try CLI.run(["codes", model, "-k", "4", "-o", codes]).status == 0)
        let clock = ContinuousClock()
        var status: Int32 = -1
        let duration = try clock.measure { status = try CLI.run(["codes", model, "-k", "8", "-o", codes + ".x"]).status }
        #expect(status == 0)
        let micros = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
        var killed = 0, finished = 0
        for fraction in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.3, 1.6, 2.5, 4.0] {
            let p = CLI.start(["codes", model, "-k", "8", "-o", codes])
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(fraction * micros))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killed += 1 } else { finished += 1 }
            let book = try CodeFile.read(codes)  // throws on a partial file
            #expect(book.k == 4 || book.k == 8)
            if p.terminationReason == .exit { #expect(book.k == 8, "a finished run left the old file") }
            if book.k == 8 { #expect(try CLI.run(["codes", model, "-k", "4", "-o", codes]).status == 0) }
        }
        #expect(killed > 0 && finished > 0, "\(killed) killed, \(finished) finished: the kills did not span the run")
    }
}

@Suite struct HugeLineTests {
    /// 200 MB with no newline and no space, streamed through standard input: one overlong token,
    /// read in bounded memory (peak RSS well under the input's size).
    @Test func twoHundredMegabyteLineInBoundedMemory() throws {
        // `make deps` installs it; without it the test fails rather than passing unmeasured.
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time (Debian's time) is missing")
        let script = "head -c 200000000 /dev/zero | tr '\\0' 'a' | /usr/bin/time -f 'RSS %M' '\(CLI.binary)' vocab - --quiet --min-count 1"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(e)")
        #expect(o.contains("tokens      1"))
        #expect(o.contains("read        200.0 MB"))
        let rss = Int(e.split(separator: "\n").last { $0.hasPrefix("RSS ") }?.dropFirst(4) ?? "") ?? Int.max
        #expect(rss < 100_000, "peak RSS \(rss) KB for a 200 MB line")
    }
}
