import Foundation
import Testing
import FlyVec

/// Streamed atomic writes: the file's bytes pass through 4 MB blocks that a second thread writes
/// (past the page cache where it can), the last partial block through the page cache.
@Suite struct AtomicFileTests {
    /// Bytes of a seeded generator, so that a misplaced or repeated block shows.
    func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            let word = rng.next()
            for b in 0..<min(8, count - i) { out[i + b] = UInt8(truncatingIfNeeded: word >> (8 * b)) }
            i += 8
        }
        return out
    }

    func leftovers(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
    }

    /// Sizes under a block, at one, at several (the writer's three blocks all in use) and at a
    /// multiple of the block (an empty last block), in pieces of uneven sizes up to 1.5 MB.
    @Test(arguments: [0, 5, 4 << 20, (4 << 20) + 1, 8 << 20, 13_000_017, 20 << 20])
    func streamedWriteReadsBackTheSameBytes(size: Int) throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("f.bin").path
        let expected = bytes(size, seed: UInt64(size) + 1)
        var rng = SplitMix64(seed: 7)
        try AtomicFile.write(to: path) { out in
            var at = 0
            while at < expected.count {
                let n = min(expected.count - at, Int(rng.next(below: 1_500_000)) + 1)
                try expected[at..<(at + n)].withUnsafeBytes { try out($0) }
                at += n
            }
        }
        #expect(try AtomicFile.read(path) == expected)
        #expect(try leftovers(dir).isEmpty)
    }

    /// A body that fails leaves the old file as it was, no temporary file, and its own error:
    /// before any byte, inside the first block (no writer thread started), and after 9 MB (two
    /// blocks written, one being filled).
    @Test(arguments: [0, 1, 9])
    func failingBodyLeavesTheOldFile(megabytes: Int) throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("f.bin").path
        try AtomicFile.write(Array("old".utf8), to: path)
        let chunk = bytes(1 << 20, seed: 3)
        #expect(throws: FlyVecError.self) {
            try AtomicFile.write(to: path) { out in
                for _ in 0..<megabytes { try chunk.withUnsafeBytes { try out($0) } }
                throw FlyVecError(.corrupt, "the input ended", file: "in.txt")
            }
        }
        #expect(try AtomicFile.read(path) == Array("old".utf8))
        #expect(try leftovers(dir).isEmpty)
    }
}
