import Foundation
import FlyVec
import Testing

/// `mpirun` (Open MPI) over TCP on the loopback interface, as root where need be.
enum MPI {
    static let mpirun = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func start(ranks: Int, _ args: [String]) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: mpirun ?? "/usr/bin/mpirun")
        p.arguments = ["--oversubscribe", "--bind-to", "none", "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "lo",
                       "-np", String(ranks), CLI.binary] + args
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        p.environment = environment
        return p
    }

    @discardableResult
    static func run(ranks: Int, _ args: [String]) throws -> CLI.Result {
        let p = start(ranks: ranks, args)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// The processes `mpirun` (pid `parent`) started, by rank.
    static func ranks(of parent: Int32) -> [Int: Int32] {
        var out: [Int: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent,
                  let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            for variable in environment.split(separator: 0) {
                let text = String(decoding: variable, as: UTF8.self)
                if text.hasPrefix("OMPI_COMM_WORLD_RANK="), let rank = Int(text.dropFirst(21)) { out[rank] = pid }
            }
        }
        return out
    }
}

/// Two models are the same: vocabulary, energies, every synapse, and the codes they give (so the
/// usage profile too).
func expectSameModel(_ a: String, _ b: String, in dir: URL) throws {
    let x = try ModelFile.read(a), y = try ModelFile.read(b)
    #expect(x.vocabulary.words == y.vocabulary.words && x.vocabulary.counts == y.vocabulary.counts)
    #expect(x.options == y.options)
    #expect(x.history.map(\.energy) == y.history.map(\.energy))
    #expect((0..<x.synapses.inputs).allSatisfy { x.synapses.row($0) == y.synapses.row($0) })
    let codes = [a, b].map { dir.appendingPathComponent(URL(fileURLWithPath: $0).lastPathComponent + ".flycodes").path }
    for (model, out) in zip([a, b], codes) { #expect(try CLI.run(["codes", model, "-o", out]).status == 0) }
    #expect(FileManager.default.contents(atPath: codes[0]) == FileManager.default.contents(atPath: codes[1]))
}

/// Training across processes under `mpirun`, over TCP on loopback.
@Suite(.serialized, .enabled(if: MPI.mpirun != nil, "needs Open MPI's mpirun (make deps)")) struct ClusterTests {
    /// A corpus of two files: the shipped Bible (zstd) after a plain file with multi-byte letters,
    /// long lines and no final line end, so that shares are cut inside a file and across files.
    func corpus(in dir: URL) throws -> [String] {
        var rng = SplitMix64(seed: 7)
        let words = ["écoute", "naïve", "straße", "river", "stone", "fire", "ωμέγα", "light", "dark", "sea"]
        var text = ""
        for line in 0..<3000 {
            let n = line % 50 == 0 ? 400 : 12
            text += (0..<n).map { _ in words[Int(rng.next(below: UInt64(words.count)))] }.joined(separator: " ")
            text += line % 7 == 0 ? ". and then " : "\n"
        }
        let plain = dir.appendingPathComponent("first.txt")
        try Data(text.utf8).write(to: plain)
        return [plain.path, CLI.root.appendingPathComponent("corpora/kjv.txt.zst").path]
    }

    /// The model of 2 and of 3 ranks (one thread each) is the one process's (two threads), bit for
    /// bit, with the anti-Hebbian term and a p-norm drive on.
    @Test(arguments: [2, 3]) func ranksTrainTheSingleProcessModel(ranks: Int) throws {
        let dir = tempDir()
        let files = try corpus(in: dir)
        let args = ["--hidden", "64", "--epochs", "2", "--delta", "0.2", "--p", "3", "--quiet"]
        let one = dir.appendingPathComponent("one.flyvec").path, many = dir.appendingPathComponent("many.flyvec").path
        let r1 = try CLI.run(["train"] + files + ["-o", one, "--threads", "2"] + args)
        #expect(r1.status == 0, "\(r1.stderr)")
        let r2 = try MPI.run(ranks: ranks, ["train"] + files + ["-o", many, "--threads", "1"] + args)
        #expect(r2.status == 0, "\(r2.stderr)")
        try expectSameModel(one, many, in: dir)
    }

    /// A rank killed mid-run ends the job with an error naming it; the last checkpoint is whole,
    /// and resumed under mpirun it gives the uninterrupted model.
    @Test func killedRankEndsTheJobAndTheCheckpointResumes() throws {
        let dir = tempDir()
        let files = try corpus(in: dir)
        let args = ["--hidden", "128", "--epochs", "8", "--quiet", "--threads", "1"]
        let whole = dir.appendingPathComponent("whole.flyvec").path
        #expect(try CLI.run(["train"] + files + ["-o", whole] + args).status == 0)
        let out = dir.appendingPathComponent("m.flyvec").path, checkpoint = out + ".checkpoint"
        let p = MPI.start(ranks: 2, ["train"] + files + ["-o", out] + args)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        while p.isRunning && ((try? ModelFile.read(checkpoint).epochsDone) ?? 0) < 1 { usleep(2000) }
        let victim = MPI.ranks(of: p.processIdentifier)[1]
        #expect(victim != nil, "rank 1 not found")
        if let victim { kill(victim, SIGKILL) }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(message.contains("rank 1") && message.contains("signal 9"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let saved = try ModelFile.read(checkpoint)
        #expect(saved.epochsDone >= 1 && !saved.isComplete)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let r = try MPI.run(ranks: 2, ["train"] + files + ["-o", out, "--resume", checkpoint, "--quiet", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        try expectSameModel(whole, out, in: dir)
    }

    /// Bad input in one rank's share ends the whole job with the file and the position of the
    /// fault, as one process reports it.
    @Test func badInputInOneShareEndsTheJobNamingFileAndPosition() throws {
        let dir = tempDir()
        var text = String(repeating: "the river runs to the sea\n", count: 2000)
        let bad = text.utf8.count - 40
        var bytes = Array(text.utf8)
        bytes[bad] = 0xFF
        text = ""
        let file = dir.appendingPathComponent("bad.txt")
        try Data(bytes).write(to: file)
        let args = ["train", file.path, "-o", dir.appendingPathComponent("m.flyvec").path, "--strict", "--quiet"]
        let single = try CLI.run(args)
        #expect(single.status != 0 && single.stderr.contains("byte \(bad)"), "\(single.stderr)")
        let r = try MPI.run(ranks: 2, args)
        #expect(r.status != 0)
        #expect(r.stderr.contains("rank 1 of 2") && r.stderr.contains("bad.txt") && r.stderr.contains("byte \(bad)"), "\(r.stderr)")
    }

    /// Standard input reaches rank 0 alone: a clear error, not a job that waits forever.
    @Test func standardInputIsRefusedUnderMPI() throws {
        let r = try MPI.run(ranks: 2, ["train", "-", "-o", tempDir().appendingPathComponent("m.flyvec").path, "--quiet"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("standard input cannot be split"), "\(r.stderr)")
    }
}
