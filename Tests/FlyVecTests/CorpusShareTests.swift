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
