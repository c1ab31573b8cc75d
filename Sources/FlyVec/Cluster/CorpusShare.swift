import Foundation

/// Which plain bytes of a corpus one rank of a cluster reads: the ranks split the corpus (all its
/// files back to back) into contiguous shares of about equal size, each cut at a line start, so
/// that no sentence is split and the shares in rank order are the corpus in order.
///
/// A cut is found by the rule every rank applies alike: for a target byte x, the first position
/// at or after x that starts a file or follows a line end (the corpus's end if there is none).
/// Rank r reads from the cut for r·S/N to the cut for (r+1)·S/N.
///
/// `CorpusReader` uses it under a `Cluster`; it is public for readers that split a corpus so too:
/// for each file not skipped, `begin(file:)`, then `split(_:)` each chunk of its plain bytes in order.
public final class ShareGate: @unchecked Sendable {
    /// The plain size of each file.
    public let sizes: [Int]
    /// Where each file starts in the whole corpus, and the corpus's size last.
    public let starts: [Int]
    private let target: (low: Int, high: Int)
    /// The share's ends once found.
    private var low: Int?
    private var high: Int?
    /// The last byte passed over in the current file, nil at a file's start.
    private var previous: UInt8?
    private var position = 0

    /// The share of rank `rank` of `ranks` in a corpus of files of `sizes` plain bytes.
    public init(sizes: [Int], rank: Int, of ranks: Int) {
        self.sizes = sizes
        var starts = [0]
        for s in sizes { starts.append(starts.last! + s) }
        self.starts = starts
        let total = starts.last!
        target = (total * rank / ranks, total * (rank + 1) / ranks)
        if rank == ranks - 1 { high = total }
    }

    /// Whether file `f` holds none of the share: wholly before the low target or after the high cut.
    public func skips(file f: Int) -> Bool {
        if starts[f + 1] <= target.low { return true }
        // A file starting at or after the high target starts at or after the high cut (and is
        // that cut when no line end after the target came first).
        if starts[f] >= target.high {
            if high == nil { high = starts[f] }
            return true
        }
        return false
    }

    /// Starts file `f`.
    public func begin(file f: Int) {
        position = starts[f]
        previous = nil
    }

    /// Where the next chunk of the current file falls: how many of its bytes come before the
    /// share, which are in it, and whether the share ends in this chunk (reading may stop).
    public func split(_ chunk: UnsafeRawBufferPointer) -> (before: Int, inside: Range<Int>, ended: Bool) {
        let g0 = position, n = chunk.count
        if low == nil { low = cut(atOrAfter: target.low, chunk) }
        if high == nil { high = cut(atOrAfter: target.high, chunk) }
        if n > 0 { previous = chunk[n - 1] }
        position += n
        let lo = min(max((low ?? g0 + n) - g0, 0), n)
        let hi = min(max((high ?? g0 + n) - g0, lo), n)
        return (lo, lo..<hi, high.map { $0 <= g0 + n } ?? false)
    }

    /// The first cut at or after `x` inside the chunk (its end included), or nil.
    private func cut(atOrAfter x: Int, _ chunk: UnsafeRawBufferPointer) -> Int? {
        let g0 = position, n = chunk.count
        if x > g0 + n { return nil }
        if x <= g0 && (previous == nil || previous == 0x0A) { return g0 }
        var i = max(x - g0 - 1, 0)
        while i < n {
            if chunk[i] == 0x0A { return g0 + i + 1 }
            i += 1
        }
        return nil
    }

    /// The share's plain bytes in the whole corpus, once it has been read as far as the share goes.
    public var byteRange: Range<Int> { (low ?? starts.last!)..<max(high ?? starts.last!, low ?? starts.last!) }
}

extension ByteSource {
    /// The plain size of each input: a regular plain file's size, a zstd file's decoded size
    /// (decoding it once). Standard input has no size to know in advance: it is an error.
    static func plainSizes(of paths: [String]) throws -> [Int] {
        try paths.map { path in
            if path == "-" {
                throw FlyVecError(.unsupported, "standard input cannot be split between processes: name the corpus files")
            }
            if let size = plainSize(of: [path]) { return size }
            var n = 0
            try ByteSource(path: path).produce { n += $0.count }
            return n
        }
    }
}
