import Foundation
import FlyVec
import Testing

/// Where a large corpus's temporary files go, and what happens when that place is full.
@Suite(.serialized) struct ScaleTests {
    /// Mounts a tmpfs of `megabytes` at a new directory, runs `body` with it, unmounts it.
    func withSmallFilesystem(megabytes: Int, _ body: (String) throws -> Void) throws {
        let dir = tempDir().appendingPathComponent("small").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", dir]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "cannot mount a tmpfs at \(dir)")
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [dir]
            try? umount.run()
            umount.waitUntilExit()
        }
        try body(dir)
    }

    /// With every id stream spilled (`--spill-bytes 0`) to a filesystem of 1 MB, training stops
    /// with an error naming that directory, leaves no file there and writes no model; on one of
    /// 64 MB it trains the model the in-memory run trains.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root")) func fullTemporaryDirectoryIsAClearError() throws {
        let corpus = CLI.root.appendingPathComponent("corpora/kjv.txt.zst").path
        let out = tempDir()
        let model = out.appendingPathComponent("m.flyvec").path
        try withSmallFilesystem(megabytes: 1) { small in
            let r = try CLI.run(["train", corpus, "-o", model, "--temp-dir", small, "--spill-bytes", "0", "--quiet"])
            #expect(r.status == 1)
            #expect(r.stderr.contains("in \(small)") && r.stderr.contains("No space left on device"), "\(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: small).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: model))
        }
        let args = ["--hidden", "64", "--quiet"]
        let memory = out.appendingPathComponent("memory.flyvec").path
        #expect(try CLI.run(["train", corpus, "-o", memory] + args).status == 0)
        try withSmallFilesystem(megabytes: 64) { roomy in
            let r = try CLI.run(["train", corpus, "-o", model, "--temp-dir", roomy, "--spill-bytes", "0"] + args)
            #expect(r.status == 0, "\(r.stderr)")
        }
        try expectSameModel(memory, model, in: out)
    }

    @Test func temporaryDirectoryMustExist() throws {
        let r = try CLI.run(["train", "-", "-o", tempDir().appendingPathComponent("m.flyvec").path, "--temp-dir", "/no/such/dir"], stdin: "a b c\n")
        #expect(r.status != 0 && r.stderr.contains("--temp-dir /no/such/dir is not a directory"), "\(r.stderr)")
    }
}
