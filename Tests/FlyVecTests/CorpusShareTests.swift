import Foundation
import Testing
import FlyVec

/// The shares ranks read: cut at line starts by one rule, whatever the chunks.
@Suite struct CorpusShareTests {
    /// The plain, obviously right cut: the first position at or after `x` that starts a file or
    /// follows a line end, else the end.
    func cut(_ x: Int, _ bytes: [UInt8], fileStarts: Set<Int>) -> Int {
        var p = x
        while p < bytes.count && !(fileStarts.contains(p) || (p > 0 && bytes[p - 1] == 0x0A)) { p += 1 }
        return min(p, bytes.count)
    }

    /// Random files of random lines, fed in random chunks: every rank's share is exactly the
    /// oracle's, and the shares cover the corpus once, in order.
    @Test(arguments: 0..<300) func sharesAreTheOraclesCuts(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let files = (0..<Int(rng.next(below: 4)) + 1).map { _ in
            (0..<Int(rng.next(below: 300))).map { _ -> UInt8 in rng.next(below: 12) == 0 ? 0x0A : 0x61 }
        }
        let all = files.flatMap { $0 }
        var fileStarts: Set<Int> = []
        var at = 0
        for f in files { fileStarts.insert(at); at += f.count }
        let ranks = Int(rng.next(below: 5)) + 1
        var previousEnd = 0
        for rank in 0..<ranks {
            let gate = ShareGate(sizes: files.map(\.count), rank: rank, of: ranks)
            var read: [UInt8] = []
            fileLoop: for (f, bytes) in files.enumerated() {
                if gate.skips(file: f) { continue }
                gate.begin(file: f)
                var lo = 0
                while lo < bytes.count {
                    let hi = min(bytes.count, lo + Int(rng.next(below: 40)) + 1)
                    let chunk = Array(bytes[lo..<hi])
                    let part = chunk.withUnsafeBytes { gate.split($0) }
                    #expect(part.before <= part.inside.lowerBound)
                    read += chunk[part.inside]
                    lo = hi
                    if part.ended { break fileLoop }
                }
            }
            let total = all.count
            let expected = cut(total * rank / ranks, all, fileStarts: fileStarts)..<(rank == ranks - 1 ? total : cut(total * (rank + 1) / ranks, all, fileStarts: fileStarts))
            #expect(gate.byteRange == expected, "rank \(rank) of \(ranks)")
            #expect(read == Array(all[expected]), "rank \(rank) of \(ranks)")
            #expect(expected.lowerBound == previousEnd)
            previousEnd = expected.upperBound
        }
        #expect(previousEnd == all.count)
    }
}

/// The token limit: reading stops with an error that names it once a corpus passes it.
@Suite struct TokenLimitTests {
    @Test func corpusPastTheLimitIsAClearError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flyvec-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("c.txt")
        // 60,000 tokens: past the limit within the first batches.
        try Data(String(repeating: "one two three four five six\n", count: 10_000).utf8).write(to: file)
        var reader = CorpusReader()
        reader.vocabulary.minCount = 1
        let (_, under, _) = try reader.read([file.path])
        #expect(under.tokenCount == 60_000)
        reader.tokenLimit = 60_000
        #expect(try reader.read([file.path]).1.tokenCount == 60_000)
        reader.tokenLimit = 59_999
        do {
            _ = try reader.read([file.path])
            Issue.record("a corpus past the limit was read")
        } catch let e as FlyVecError {
            #expect(e.kind == .unsupported && e.file == file.path && e.description.contains("limit of 59999"), "\(e)")
        }
    }
}
